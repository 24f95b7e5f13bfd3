/**
 * What a log line's text holds besides plain characters, shared by the API (which writes it)
 * and the renderer (which draws it). No zod here: the renderer imports these values at run time,
 * and building schemas in the page would have zod probe for eval, which its CSP forbids.
 */

/**
 * Escape sequences a line's text keeps whole, for a viewer to colour (SGR, `ESC [ … m`) or drop
 * (everything else): CSI (`ESC [ … final`, e.g. grep's erase-line `ESC [ K`), OSC up to its BEL
 * or ST terminator (`ESC ] 8 ; ; url ESC \`, a hyperlink), and two-byte escapes (`ESC ( B` of
 * `tput sgr0`). A lone ESC, or a sequence left unfinished, is shown as ␛ like other controls.
 */
export const escapeSequence =
  /\x1b(?:\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\][^\x00-\x1f\x7f]*(?:\x07|\x1b\\)|[\x21-\x2f]*[\x30-\x4f\x51-\x57\x59\x5a\x60-\x7e])/;

/**
 * Bidirectional controls and the arrow a line's text shows instead of each. Applied, they
 * reorder what follows (`access \u202eevil\u202c granted` reads "access live granted"). An
 * arrow is one UTF-16 unit like the control, so character offsets hold, and bidi-neutral: it
 * takes the direction of the text around it and changes nobody else's.
 */
export const bidiControls: Readonly<Record<string, { picture: string; name: string }>> = {
  '\u061c': { picture: '\u21dc', name: 'U+061C ARABIC LETTER MARK' }, // ⇜
  '\u200e': { picture: '\u21c0', name: 'U+200E LEFT-TO-RIGHT MARK' }, // ⇀
  '\u200f': { picture: '\u21bc', name: 'U+200F RIGHT-TO-LEFT MARK' }, // ↼
  '\u202a': { picture: '\u21c9', name: 'U+202A LEFT-TO-RIGHT EMBEDDING' }, // ⇉
  '\u202b': { picture: '\u21c7', name: 'U+202B RIGHT-TO-LEFT EMBEDDING' }, // ⇇
  '\u202c': { picture: '\u21a5', name: 'U+202C POP DIRECTIONAL FORMATTING' }, // ↥
  '\u202d': { picture: '\u21db', name: 'U+202D LEFT-TO-RIGHT OVERRIDE' }, // ⇛
  '\u202e': { picture: '\u21da', name: 'U+202E RIGHT-TO-LEFT OVERRIDE' }, // ⇚
  '\u2066': { picture: '\u21fe', name: 'U+2066 LEFT-TO-RIGHT ISOLATE' }, // ⇾
  '\u2067': { picture: '\u21fd', name: 'U+2067 RIGHT-TO-LEFT ISOLATE' }, // ⇽
  '\u2068': { picture: '\u21ff', name: 'U+2068 FIRST STRONG ISOLATE' }, // ⇿
  '\u2069': { picture: '\u21a7', name: 'U+2069 POP DIRECTIONAL ISOLATE' }, // ↧
};
