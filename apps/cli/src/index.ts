// apps/cli is not built yet (issue #8).
export {};
