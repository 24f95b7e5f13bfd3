import { z } from 'zod';

/**
 * A file in a task's sandbox: the task, and a path relative to its run directory (the
 * directory Mesos' files API browses: the executor's stdout/stderr, and `sandbox/` with the
 * Thermos `.logs/<process>/<run>/{stdout,stderr}`). `''` is the run directory itself.
 *
 * Paths are never URL-decoded and never leave the run directory: `..`, absolute paths, NUL,
 * percent-encoded `.`, `/` or `\` and symlinks that resolve outside are all refused with
 * SANDBOX_OUTSIDE_ROOT by the log source itself (one policy for every transport), not here.
 */
export const sandboxPath = z.string().max(4096);

export const fileRef = z.object({ taskId: z.string().min(1).max(500), path: sandboxPath }).strict();
export type FileRef = z.infer<typeof fileRef>;

export const sandboxEntry = z.object({
  name: z.string(),
  /** Relative to the run directory, '/'-separated. */
  path: z.string(),
  kind: z.enum(['file', 'dir', 'symlink', 'other']),
  size: z.number().int(),
  /** Milliseconds since the epoch. */
  mtime: z.number().int(),
  /** Unix permission bits, e.g. "-rw-r--r--". */
  mode: z.string(),
});
export type SandboxEntry = z.infer<typeof sandboxEntry>;

export { bidiControls, escapeSequence } from './log-text.js';

/** One line of a file as the viewer shows it: where it starts, and its text. */
export const logLine = z.object({
  /** Byte offset of the line's first byte: the cursor for "this line". */
  offset: z.number().int(),
  /** Bytes in the line, without its newline. */
  length: z.number().int(),
  /**
   * Decoded as UTF-8 (invalid bytes become U+FFFD); cut at `maxLineChars` when longer. Control
   * characters are made visible as their U+2400 symbols (NUL is "␀"), bidi controls as the
   * arrows of `bidiControls`, except tab and the escape sequences of `escapeSequence`, which are
   * kept whole for the renderer to colour or drop. A CR before the newline is dropped.
   */
  text: z.string(),
  truncated: z.boolean(),
  /**
   * The line has no newline yet (the end of a file being written). It may grow: a follow sends
   * it again, with the same offset, once it is complete, so a viewer replaces it by offset.
   */
  partial: z.boolean().optional(),
  /**
   * The line starts before `offset`, further back than a read looks for it (a line of hundreds
   * of KiB or more, e.g. the tail of a 1 GiB file without newline): `offset` and `length` are
   * those of the part shown, from a character boundary inside the line to its end.
   */
  continued: z.boolean().optional(),
  /**
   * The text starts this many bytes into the line, not at its start: the window of a line longer
   * than `maxLineChars` around a search match, or a part read with `logs.linePart`. `truncated`
   * is then true: the text is not the whole line.
   */
  from: z.number().int().optional(),
});
export type LogLine = z.infer<typeof logLine>;

export const logFileStat = z.object({
  size: z.number().int(),
  mtime: z.number().int(),
  /**
   * The first 8 KiB start with a binary signature (ELF, gzip, PNG, ...) or are more than 10%
   * bytes that text does not hold: shown as a hex dump (`logs.read`) rather than as lines. A
   * text file with a few NULs is text; they show as ␀.
   */
  binary: z.boolean(),
  /** The signature found ("ELF", "gzip", "PNG", ...), null when none is. */
  format: z.string().nullable(),
  /** Absolute path on the agent, for copying. */
  absolutePath: z.string(),
});
export type LogFileStat = z.infer<typeof logFileStat>;

export const logCalls = {
  'sandbox.list': {
    summary: "A directory of a task's sandbox, directories first.",
    input: fileRef,
    output: z.object({
      runDir: z.string(),
      path: z.string(),
      entries: z.array(sandboxEntry),
      /** More entries than the listing holds (10,000): the rest were left out. */
      truncated: z.boolean(),
    }),
  },
  'logs.stat': {
    summary: 'Size and kind of a sandbox file.',
    input: fileRef,
    output: logFileStat,
  },
  'logs.lines': {
    summary: 'Whole lines around a byte offset, a line number, or the end: what a viewer window shows.',
    input: fileRef
      .extend({
        /**
         * A byte offset, snapped back to the start of its line: the result is `before` lines
         * before that line, then up to `after` lines from it. Or -1 for the end of the file: the
         * last `before` lines, a last line without newline (yet) included. A viewer opens a file
         * with `{at: -1, before: N}` and follows it from `end`.
         */
        at: z.number().int().min(-1).default(-1),
        /** A 1-based line number instead of `at` (goto-line): waits for the line index to reach it. */
        line: z.number().int().min(1).optional(),
        before: z.number().int().min(0).max(2000).default(0),
        after: z.number().int().min(0).max(2000).default(100),
        maxLineChars: z.number().int().min(80).max(1_000_000).default(10_000),
      })
      .strict(),
    output: z.object({
      lines: z.array(logLine),
      /** File size when read. */
      size: z.number().int(),
      /**
       * Offset just past the last complete line returned (the snapped offset when none is): where
       * a follow starts. A partial last line lies beyond it, so the follow sends it again, whole.
       */
      end: z.number().int(),
      /** 1-based number of the first line returned, when the line index already covers it. */
      firstLine: z.number().int().nullable(),
    }),
  },
  'logs.linePart': {
    summary: 'A part of one long line, from a byte inside it: what a viewer pages through when a line is longer than it shows.',
    input: fileRef
      .extend({
        /** The line's first byte and its length, as `logs.lines` or a search match gave them. */
        offset: z.number().int().min(0),
        length: z.number().int().min(0),
        /** The byte of the line to start at, moved on to a character start. */
        from: z.number().int().min(0),
        maxLineChars: z.number().int().min(80).max(1_000_000).default(100_000),
      })
      .strict(),
    output: z.object({
      /** The part, `from` set (0 at the line's start); `truncated` when it ends before the line does. */
      line: logLine,
      /** The byte of the line just past the part: where the next part starts (`length` at the end). */
      next: z.number().int(),
      size: z.number().int(),
    }),
  },
  'logs.read': {
    summary: 'Raw bytes of a range, as base64 (at most 1 MiB): for long lines and binary previews.',
    input: fileRef
      .extend({
        offset: z.number().int().min(0),
        length: z
          .number()
          .int()
          .min(1)
          .max(1024 * 1024),
      })
      .strict(),
    output: z.object({ offset: z.number().int(), data: z.string(), size: z.number().int() }),
  },
  'logs.index': {
    summary: 'Starts or extends the line index of a file in the background and says how far it got; poll until done.',
    input: fileRef,
    output: z.object({
      size: z.number().int(),
      /** Bytes indexed so far, from the start. */
      indexed: z.number().int(),
      /** Lines in the indexed bytes (a last line without newline counts once done). */
      lines: z.number().int(),
      done: z.boolean(),
    }),
  },
} as const;

/** Items of the `logs.follow` stream: new lines, and what happened to the file. */
export const followItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('line'), line: logLine }),
  /** The file got shorter (truncated), was replaced (rotated) or deleted: reading restarts at `offset`. */
  z.object({ kind: z.literal('reset'), reason: z.enum(['truncated', 'replaced', 'deleted']), offset: z.number().int() }),
  /**
   * The follow was further behind the end than it sends (a cursor from long ago, or a writer
   * faster than the viewer): these bytes were passed over. `logs.lines` reads them on demand.
   */
  z.object({ kind: z.literal('skipped'), offset: z.number().int(), length: z.number().int() }),
]);
export type FollowItem = z.infer<typeof followItem>;

/** Items of the `logs.search` stream: matches in file order, and progress. */
export const searchItem = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('match'),
    line: logLine,
    /** Character ranges of the matches within `line.text`. */
    ranges: z.array(z.tuple([z.number().int(), z.number().int()])),
  }),
  /**
   * `scanned`: every line starting before it has been searched (resume with `from: scanned`).
   * `matches`: matching lines so far. `done`: the search ended (end of file, or `maxMatches`).
   */
  z.object({
    kind: z.literal('progress'),
    scanned: z.number().int(),
    size: z.number().int(),
    matches: z.number().int(),
    done: z.boolean(),
  }),
]);
export type SearchItem = z.infer<typeof searchItem>;

export const logStreams = {
  'logs.follow': {
    summary: 'New lines of a file from a byte offset, then as it grows. Cursor: `<offset>@<file>`.',
    input: fileRef
      .extend({
        from: z.number().int().min(0),
        /**
         * The file `from` points into: the part of the stream's cursor after `@`. When the path
         * names another file now (rotated while the viewer was away), the follow starts it from
         * 0 with a `replaced` reset instead of continuing at an offset of a different file.
         */
        file: z.string().max(200).optional(),
      })
      .strict(),
    item: followItem,
  },
  'logs.search': {
    summary: 'Lines matching a literal or a regex, searched on bytes, progressive; unsubscribe cancels. Cursor: `scanned`.',
    input: fileRef
      .extend({
        query: z.string().min(1).max(1000),
        /**
         * `regex` is JavaScript syntax applied per line to the bytes: `.` matches one byte, and
         * `caseInsensitive` folds ASCII letters only. A literal folds Unicode simple case pairs.
         */
        mode: z.enum(['literal', 'regex']),
        caseInsensitive: z.boolean().default(false),
        /** Byte offset to start at (a resumed search). */
        from: z.number().int().min(0).default(0),
        maxMatches: z.number().int().min(1).max(100_000).default(10_000),
        maxLineChars: z.number().int().min(80).max(100_000).default(2_000),
      })
      .strict(),
    item: searchItem,
  },
} as const;
