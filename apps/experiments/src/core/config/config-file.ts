import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../../experiment-error';
import { findJsonSyntaxError } from './json-syntax-error';

/** The config file formats, by file extension. */
export const CONFIG_FILE_EXTENSIONS = { '.json': 'json', '.yaml': 'yaml', '.yml': 'yaml' } as const;
export type ConfigFormat = (typeof CONFIG_FILE_EXTENSIONS)[keyof typeof CONFIG_FILE_EXTENSIONS];

function formatOf(path: string): ConfigFormat {
  const format = CONFIG_FILE_EXTENSIONS[extname(path).toLowerCase() as keyof typeof CONFIG_FILE_EXTENSIONS];
  if (!format) {
    throw new ConfigError(
      `config file ${path}: name it *.json, *.yaml or *.yml (the extension says how to read it), got '${extname(path) || 'no extension'}'.`,
    );
  }
  return format;
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = findJsonSyntaxError(text);
    const where = at ? `line ${at.line}, column ${at.column}: ${at.problem}` : (error as Error).message;
    throw new ConfigError(
      `config file ${label} is not valid JSON (${where}); fix the file, or write the config as YAML (${label.replace(/\.json$/i, '.yaml')}).`,
    );
  }
}

function parseYaml(text: string, label: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  const error = document.errors[0];
  if (error) {
    const position = lineCounter.linePos(error.pos[0]);
    const where = `line ${position.line}, column ${position.col}: `;
    throw new ConfigError(`config file ${label} is not valid YAML (${where}${error.message.split('\n')[0]}); fix the file.`);
  }
  return document.toJS();
}

/**
 * Reads a config file (JSON or YAML, by extension) into plain data; `label` names the file in
 * messages (default: `path`). A syntax error names the file, the line and the column; a file that
 * does not hold one object of config fields is refused. The data is validated later, once merged
 * (see resolveOodConfig).
 */
export async function readConfigFile(path: string, label = path): Promise<Record<string, unknown>> {
  const format = formatOf(label);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? (error as Error).message})`;
    throw new ConfigError(`config file ${label} ${why}; give the path of a .json or .yaml config file.`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const data = format === 'json' ? parseJson(text, label) : parseYaml(text, label);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const got = data === null || data === undefined ? 'nothing' : Array.isArray(data) ? 'a list' : `${JSON.stringify(data)}`;
    throw new ConfigError(`config file ${label} must hold one object of config fields (such as { "epochs": 2 }), but holds ${got}.`);
  }
  return data as Record<string, unknown>;
}
