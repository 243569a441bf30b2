/* Small text helpers for the config loader: quoting user text in messages. */
#ifndef VMMD_CONFIG_TEXT_H
#define VMMD_CONFIG_TEXT_H

#include <stddef.h>

/* Enough for TEXT_QUOTE_MAX input bytes, each escaped as \xNN, plus "...". */
#define TEXT_QUOTE_MAX 48
#define TEXT_QUOTE_SIZE (TEXT_QUOTE_MAX * 4 + 4)

/*
 * Copies @len bytes of @s into @buf (TEXT_QUOTE_SIZE bytes) so that it is
 * safe to print inside a one-line message: control bytes, quotes and
 * backslashes are escaped as \xNN or \\, and text longer than
 * TEXT_QUOTE_MAX bytes is cut and ends with "...". Returns @buf.
 */
char *text_quote(char *buf, const char *s, size_t len);

#endif
