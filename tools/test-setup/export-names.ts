// The export-list tests of the packages: every name an entry file exports, read from its syntax
// (values and types alike, since types vanish at run time), so a test can compare it to a list.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

/**
 * The sorted names `entryPath` exports: named re-exports (`export { a, type B } from ...`) and
 * exported declarations. An `export *` has no names to list, so it throws: curated entries name
 * what they export.
 */
export function exportedNames(entryPath: string): string[] {
  const source = ts.createSourceFile(entryPath, readFileSync(entryPath, 'utf8'), ts.ScriptTarget.ES2022, false);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (statement.exportClause === undefined || !ts.isNamedExports(statement.exportClause)) {
        throw new Error(`${entryPath}: an export * re-exports names nobody listed; name each export instead.`);
      }
      for (const element of statement.exportClause.elements) names.push(element.name.text);
    } else if (hasExportModifier(statement)) {
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
      } else if ('name' in statement && statement.name !== undefined && ts.isIdentifier(statement.name as ts.Node)) {
        names.push((statement.name as ts.Identifier).text);
      }
    }
  }
  return names.sort();
}
