/** Where the CLI writes: the process's streams, or test doubles. */
export interface Output {
  write(text: string): void;
  /** Whether this is an interactive terminal. */
  readonly isTTY: boolean;
  /** Width in columns, when a terminal. */
  readonly columns?: number;
  /** Height in rows, when a terminal. */
  readonly rows?: number;
}

export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): string;
}
