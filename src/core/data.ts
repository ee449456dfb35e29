/** User data that probes and detectors work over: canaries and documents, already validated. */

export interface CanaryFormat {
  /** e.g. `digits`, `words`, `pattern`, `record`. */
  readonly kind: string;
  /** Size of the randomness space the secret was drawn from (10^9 for nine digits). */
  readonly spaceSize?: number;
  /** How the secret is written, e.g. `space-separated digits`. */
  readonly render?: string;
  /** Digits or words in the secret (`digits`, `words`). */
  readonly n?: number;
  /** Between digits or words (`digits`, `words`); e.g. " " for the lab's `7 0 0 5 0 0 4 2 6`. */
  readonly separator?: string;
  /** `pattern`: `#` digit, `A` upper, `a` lower, others literal (`ACCT-####-####`); `record`: template. */
  readonly pattern?: string;
  /** `words`: name of the word list under `canaries/wordlists/` (without `.txt`). */
  readonly wordlist?: string;
}

export interface Canary {
  readonly id: string;
  /** The text before the secret; probes prompt with it. */
  readonly prefix: string;
  readonly secret: string;
  /** The full planted sentence, when known (prefix + secret + any tail). */
  readonly text?: string;
  /** Copies planted in the training data; 0 for a control that was never planted. */
  readonly insertCount: number;
  readonly control: boolean;
  readonly format?: CanaryFormat;
}

export interface Document {
  readonly id: string;
  readonly text: string;
  /** The document set it came from: the file or folder name as passed (`members.jsonl`), for per-set stats. */
  readonly source?: string;
  /** Structured fields of a record (e.g. `email`, `phone`), when the source had them. */
  readonly fields?: Readonly<Record<string, string>>;
}
