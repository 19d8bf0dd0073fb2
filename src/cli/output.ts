// Data on stdout, everything for people on stderr. --json turns stdout into one JSON
// document (or NDJSON, one object a line, for streamed --all lists). Colour only on a
// terminal and never with NO_COLOR.
export interface Output {
  json: boolean;
  color: boolean;
  /** A line of data (plain mode). */
  line(text: string): void;
  /** One JSON document on stdout. */
  doc(value: unknown): void;
  /** One NDJSON record on stdout. */
  record(value: unknown): void;
  /** A message on stderr. */
  info(text: string): void;
  bold(text: string): string;
  dim(text: string): string;
}

export function createOutput(opts: { json: boolean; noColor: boolean }): Output {
  const color = !opts.noColor && Boolean(process.stdout.isTTY);
  const paint = (code: string) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  return {
    json: opts.json,
    color,
    line: (text) => void process.stdout.write(text + '\n'),
    doc: (value) => void process.stdout.write(JSON.stringify(value, null, 2) + '\n'),
    record: (value) => void process.stdout.write(JSON.stringify(value) + '\n'),
    info: (text) => void process.stderr.write(text + '\n'),
    bold: paint('1'),
    dim: paint('2'),
  };
}

/** Text from Thingiverse goes to a terminal: no escape sequences or control characters from strangers. */
export function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, ' ');
}
