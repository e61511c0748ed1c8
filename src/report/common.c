/*
 * common.c - pieces every reporter shares: alias lists as JSON arrays and
 * the severity scores GitHub code scanning understands.
 */
#include "report/report.h"

#include <string.h>

void report_json_list(struct strbuf *out, const char *csv)
{
	sb_putc(out, '[');
	int first = 1;
	const char *p = csv ? csv : "";
	while (*p) {
		while (*p == ',' || *p == ' ')
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *t = e;
		while (t > p && t[-1] == ' ')
			t--;
		if (!first)
			sb_putc(out, ',');
		sb_json_strn(out, p, (size_t)(t - p));
		first = 0;
		p = e;
	}
	sb_putc(out, ']');
}

const char *report_security_severity(enum severity s)
{
	/* Inside GitHub's bands: critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9. */
	switch (s) {
	case SEV_CRITICAL: return "9.5";
	case SEV_HIGH: return "8.0";
	case SEV_MEDIUM: return "5.5";
	case SEV_LOW: return "2.0";
	case SEV_INFO: return "0.0";
	}
	return "0.0";
}
