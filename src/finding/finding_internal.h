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

/* A finding of its own on the heap: a deep copy of f, as hegui_findings_add
 * makes, with wkt taken over (NULL: ""). Any thread may build one; the
 * thread that owns the list adds it with finding_add_owned. NULL when out
 * of memory (wkt is freed then). */
hegui_finding *finding_new_taking_wkt(const hegui_finding *f, char *wkt);

/* Moves f (from finding_new_taking_wkt) into list, without copying a
 * string; f is freed either way. */
int finding_add_owned(hegui_findings *list, hegui_finding *f);

/* Frees a finding from finding_new_taking_wkt that was not added.
 * NULL-safe. */
void finding_free(hegui_finding *f);

/* hegui_findings_sort on up to threads threads (a long list is sorted in
 * two halves side by side and merged): the same order for any number. */
void finding_sort(hegui_findings *list, int threads);

#endif
