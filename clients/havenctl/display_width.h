// Terminal column arithmetic over UTF-8 text, so that tables holding Chinese
// (two columns per character) line up and are never cut inside a character.
#ifndef HAVEN_CLIENTS_HAVENCTL_DISPLAY_WIDTH_H_
#define HAVEN_CLIENTS_HAVENCTL_DISPLAY_WIDTH_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace haven::cli {

// Returned by DecodeUtf8 for a byte that does not start a well-formed UTF-8
// sequence (bad lead byte, truncated or overlong sequence, surrogate, or a
// value above U+10FFFF).
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point starting at text[*pos] and advances *pos past it.
// On malformed input returns kInvalidCodePoint and advances *pos by exactly
// one byte.  Requires *pos < text.size().
char32_t DecodeUtf8(std::string_view text, size_t* pos);

// Appends the UTF-8 encoding of `cp` (which must be a valid scalar value).
void AppendUtf8(char32_t cp, std::string* out);

// True when `text` is entirely well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

// Columns a terminal uses for one code point: 2 for East Asian wide and
// fullwidth characters (CJK, Hangul, fullwidth forms, most emoji), 0 for
// combining marks, zero-width characters and controls, 1 otherwise.
int CodePointWidth(char32_t cp);

// Columns used by `text`; each malformed byte counts as one column (it is
// shown as U+FFFD by SanitizeForTerminal).
int DisplayWidth(std::string_view text);

// Makes arbitrary bytes safe to print on one terminal line: malformed UTF-8
// becomes U+FFFD, and control characters become C-style escapes ("\n", "\t",
// "\x1b", "\u0085"), so neither newlines nor terminal escape sequences from
// stored data reach the terminal.
std::string SanitizeForTerminal(std::string_view text);

// Returns `text` if it fits in `max_width` columns; otherwise the longest
// prefix of whole code points that fits in max_width - 1 columns followed by
// "…".  Never splits a character.  Expects sanitized text.
std::string TruncateToWidth(std::string_view text, int max_width);

// Pads `text` with spaces on the right (PadRight) or left (PadLeft) up to
// `width` columns; text already that wide or wider is returned unchanged.
std::string PadRight(std::string_view text, int width);
std::string PadLeft(std::string_view text, int width);

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_DISPLAY_WIDTH_H_
