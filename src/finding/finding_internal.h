/*
 * finding_internal.h - what the check module may do with a findings list
 * beyond the public API (include/hegui/finding.h).
 */
#ifndef HEGUI_FINDING_INTERNAL_H
#define HEGUI_FINDING_INTERNAL_H

#include "hegui/finding.h"

/* hegui_findings_add with the WKT taken over, not copied: wkt (from the
 * hegui allocator, or NULL; f->wkt is not read) belongs to the list on
 * success and is freed on failure. A patch's WKT can be megabytes. */
int finding_add_taking_wkt(hegui_findings *list, const hegui_finding *f, char *wkt);

#endif
