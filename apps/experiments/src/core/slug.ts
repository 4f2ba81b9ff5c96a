/** A file-name-safe form of a name: lowercase letters, digits and dashes ('ODIN +HiO' -> 'odin-hio'). */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
