import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Where a new password comes from: piped stdin, or typed twice at a hidden prompt. */
export interface PasswordSource {
  fromStdin(): Promise<string>;
  prompt(question: string): Promise<string>;
  interactive: boolean;
}

/** All of stdin, minus one trailing newline (so `echo pw | retune …` works). */
export async function readAll(stream: Readable): Promise<string> {
  let text = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) text += chunk as string;
  return text.replace(/\r?\n$/, '');
}

/** A prompt on stderr whose answer is not echoed. */
function promptHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write(question);
  // readline echoes through _writeToOutput; silencing it hides the typed characters.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    }),
  );
}

export const terminalPasswordSource: PasswordSource = {
  fromStdin: () => readAll(process.stdin),
  prompt: promptHidden,
  interactive: Boolean(process.stdin.isTTY),
};
