/* Text helpers for the config loader: safe quoting of user text. */
#include <stdio.h>
#include <string.h>

#include "config/text.h"

char *text_quote(char *buf, const char *s, size_t len)
{
	size_t i, o = 0, n = len;

	/* Cut before TEXT_QUOTE_MAX, and not inside a UTF-8 sequence. */
	if (n > TEXT_QUOTE_MAX) {
		n = TEXT_QUOTE_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch == '\\') {
			buf[o++] = '\\';
			buf[o++] = '\\';
		} else if (ch < 0x20 || ch == 0x7f || ch == '\'') {
			snprintf(buf + o, 5, "\\x%02x", ch);
			o += 4;
		} else {
			buf[o++] = (char)ch;
		}
	}
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}
