/**
 * Splits one line of CSV into its fields (RFC 4180 quoting), for the
 * workbench's own CSV files and the tables users hand it.
 *
 * @module
 */

/**
 * Splits a CSV line at commas outside double quotes; a doubled quote inside
 * quotes is one literal quote. The line must not hold a line break (fields
 * with line breaks are not supported).
 *
 * @param line One line, without its line break.
 * @returns The fields, unquoted.
 * @example
 * ```ts
 * const fields = parseCsvLine('a,"b,c","say ""hi"""');
 * console.assert(fields.length === 3 && fields[1] === "b,c" && fields[2] === 'say "hi"');
 * ```
 */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      fields.push(field);
      field = "";
    } else field += char;
  }
  fields.push(field);
  return fields;
}
