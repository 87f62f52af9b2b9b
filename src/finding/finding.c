/*
 * finding.c - the findings list (deep copies, total-order sort) and the
 * small queries on a run that every reporter shares (counts, verdict).
 *
 * Invariants: every string of a finding in a list is owned by the list and
 * never NULL (NULL becomes ""); rule points at static storage. Sorting uses
 * a comparison that looks at every field, so two findings that compare
 * equal print identically and the output does not depend on the order in
 * which worker threads added them.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "finding/finding_internal.h"
#include "hegui/finding.h"
#include "util/util.h"

double hegui_area_ha(double area_m2)
{
    return area_m2 / HEGUI_M2_PER_HA;
}

double hegui_area_mu(double area_m2)
{
    return area_m2 * 15.0 / 10000.0;
}

/* --- copying --- */

/* Frees the strings a finding owns (not the struct itself). */
static void finding_release(hegui_finding *f)
{
    hegui_free(f->zone_code);
    hegui_free(f->zone_name);
    hegui_free(f->block);
    hegui_free(f->layer);
    hegui_free(f->layer_path);
    hegui_free(f->subject_attrs);
    hegui_free(f->other_layer);
    hegui_free(f->other_attrs);
    hegui_free(f->wkt);
    hegui_free(f->message_zh);
    hegui_free(f->message_en);
    memset(f, 0, sizeof(*f));
}

/* Owned copy of s, "" for NULL; NULL only when allocation fails. */
static char *copy_string(const char *s)
{
    return hegui_strdup(s ? s : "");
}

/*
 * Deep copy of src into *out. On failure *out owns nothing and
 * HEGUI_ENOMEM is returned.
 */
static int finding_copy(hegui_finding *out, const hegui_finding *src)
{
    int rc = HEGUI_OK;
    hegui_finding f = *src;

    f.rule = src->rule ? src->rule : "";
    f.zone_code = f.zone_name = f.block = f.layer = f.layer_path = f.subject_attrs = NULL;
    f.other_layer = f.other_attrs = f.wkt = f.message_zh = f.message_en = NULL;

    if (!(f.zone_code = copy_string(src->zone_code)) ||
        !(f.zone_name = copy_string(src->zone_name)) || !(f.block = copy_string(src->block)) ||
        !(f.layer = copy_string(src->layer)) || !(f.layer_path = copy_string(src->layer_path)) ||
        !(f.subject_attrs = copy_string(src->subject_attrs)) ||
        !(f.other_layer = copy_string(src->other_layer)) ||
        !(f.other_attrs = copy_string(src->other_attrs)) || !(f.wkt = copy_string(src->wkt)) ||
        !(f.message_zh = copy_string(src->message_zh)) ||
        !(f.message_en = copy_string(src->message_en))) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    *out = f;
    memset(&f, 0, sizeof(f));

done:
    finding_release(&f);
    return rc;
}

/* Room for one more finding in list. */
static int findings_reserve(hegui_findings *list)
{
    size_t cap;
    hegui_finding *items;
    if (list->count < list->cap)
        return HEGUI_OK;
    cap = list->cap ? list->cap * 2 : 16;
    if (cap < list->cap || cap > SIZE_MAX / sizeof(*items))
        return hegui_error_set(HEGUI_ENOMEM, "too many findings (%zu)", list->count);
    items = hegui_realloc(list->items, cap * sizeof(*items));
    if (!items)
        return HEGUI_ENOMEM;
    list->items = items;
    list->cap = cap;
    return HEGUI_OK;
}

int hegui_findings_add(hegui_findings *list, const hegui_finding *f)
{
    hegui_finding copy;
    int rc;
    if (!list || !f)
        return hegui_error_set(HEGUI_EINVAL, "hegui_findings_add: NULL argument");
    if ((rc = findings_reserve(list)) < 0 || (rc = finding_copy(&copy, f)) < 0)
        return rc;
    list->items[list->count++] = copy;
    return HEGUI_OK;
}

int finding_add_taking_wkt(hegui_findings *list, const hegui_finding *f, char *wkt)
{
    hegui_finding *owned;
    if (!list || !f) {
        hegui_free(wkt);
        return hegui_findings_add(list, f); /* the NULL argument error */
    }
    owned = finding_new_taking_wkt(f, wkt);
    return owned ? finding_add_owned(list, owned) : HEGUI_ENOMEM;
}

hegui_finding *finding_new_taking_wkt(const hegui_finding *f, char *wkt)
{
    hegui_finding without_wkt = *f, *owned = hegui_malloc(sizeof(*owned));
    without_wkt.wkt = NULL; /* copied as "" */
    if (!owned || finding_copy(owned, &without_wkt) < 0) {
        hegui_free(owned);
        hegui_free(wkt);
        return NULL;
    }
    if (wkt) {
        hegui_free(owned->wkt);
        owned->wkt = wkt;
    }
    return owned;
}

int finding_add_owned(hegui_findings *list, hegui_finding *f)
{
    int rc = findings_reserve(list);
    if (rc < 0) {
        finding_free(f);
        return rc;
    }
    list->items[list->count++] = *f;
    hegui_free(f);
    return HEGUI_OK;
}

void finding_free(hegui_finding *f)
{
    if (!f)
        return;
    finding_release(f);
    hegui_free(f);
}

void hegui_findings_release(hegui_findings *list)
{
    size_t i;
    if (!list)
        return;
    for (i = 0; i < list->count; i++)
        finding_release(&list->items[i]);
    hegui_free(list->items);
    list->items = NULL;
    list->count = list->cap = 0;
}

/* --- ordering --- */

static int compare_strings(const char *a, const char *b)
{
    int c = strcmp(a ? a : "", b ? b : "");
    return (c > 0) - (c < 0);
}

static int compare_ints(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* Total order on doubles: numbers ascending (-0 == 0), NaN after all. */
static int compare_doubles(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return (a > b) - (a < b);
}

int hegui_finding_compare(const hegui_finding *a, const hegui_finding *b)
{
    int c;
    /* The documented key. */
    if ((c = compare_strings(a->rule, b->rule)) != 0)
        return c;
    if ((c = compare_strings(a->zone_code, b->zone_code)) != 0)
        return c;
    if ((c = compare_strings(a->layer, b->layer)) != 0)
        return c;
    if ((c = compare_ints(a->fid, b->fid)) != 0)
        return c;
    if ((c = compare_strings(a->other_layer, b->other_layer)) != 0)
        return c;
    if ((c = compare_ints(a->other_fid, b->other_fid)) != 0)
        return c;
    if ((c = compare_strings(a->wkt, b->wkt)) != 0)
        return c;
    if ((c = compare_strings(a->message_en, b->message_en)) != 0)
        return c;
    /* Tie-breakers: every other printed field, so "equal" means identical. */
    if ((c = compare_ints((int64_t)b->severity, (int64_t)a->severity)) != 0)
        return c; /* errors first */
    if ((c = compare_strings(a->message_zh, b->message_zh)) != 0)
        return c;
    if ((c = compare_strings(a->zone_name, b->zone_name)) != 0)
        return c;
    if ((c = compare_strings(a->block, b->block)) != 0)
        return c;
    if ((c = compare_strings(a->subject_attrs, b->subject_attrs)) != 0)
        return c;
    if ((c = compare_strings(a->other_attrs, b->other_attrs)) != 0)
        return c;
    if ((c = compare_ints(a->has_area, b->has_area)) != 0)
        return c;
    if ((c = compare_doubles(a->area_m2, b->area_m2)) != 0)
        return c;
    if ((c = compare_doubles(a->area_ellipsoidal_m2, b->area_ellipsoidal_m2)) != 0)
        return c;
    return compare_doubles(a->share_of_zone, b->share_of_zone);
}

/*
 * Stable insertion sort: the fallback when the merge buffer cannot be
 * allocated (slow for large lists, but sorting must not fail).
 */
static void insertion_sort(hegui_finding *items, size_t count)
{
    size_t i, j;
    for (i = 1; i < count; i++) {
        hegui_finding key = items[i];
        for (j = i; j > 0 && hegui_finding_compare(&items[j - 1], &key) > 0; j--)
            items[j] = items[j - 1];
        items[j] = key;
    }
}

/* Merges the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi);
 * on ties the left one first: stable. */
static void merge_runs(const hegui_finding *src, hegui_finding *dst, size_t lo, size_t mid,
                       size_t hi)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        if (hegui_finding_compare(&src[i], &src[j]) <= 0)
            dst[k++] = src[i++];
        else
            dst[k++] = src[j++];
    }
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

/* Bottom-up stable merge sort of items using tmp (count elements). The
 * findings themselves move: sorting pointers to them took twice as long
 * (every comparison a cache miss). */
static void merge_sort(hegui_finding *items, hegui_finding *tmp, size_t count)
{
    size_t width, lo;
    hegui_finding *src = items, *dst = tmp, *swap;
    for (width = 1; width < count; width *= 2) {
        for (lo = 0; lo < count; lo += 2 * width) {
            size_t mid = lo + width < count ? lo + width : count;
            merge_runs(src, dst, lo, mid, mid + width < count ? mid + width : count);
        }
        swap = src;
        src = dst;
        dst = swap;
    }
    if (src != items)
        memcpy(items, src, count * sizeof(*items));
}

/* One half of a sort on two threads. */
typedef struct sort_half {
    hegui_finding *items, *tmp;
    size_t count;
} sort_half;

static void *sort_half_main(void *arg)
{
    sort_half *h = arg;
    merge_sort(h->items, h->tmp, h->count);
    return NULL;
}

/* Lists at least this long are sorted in two halves side by side. */
#define SORT_SPLIT_MIN 4096

void finding_sort(hegui_findings *list, int threads)
{
    hegui_finding *tmp;
    size_t n = list ? list->count : 0, half = n / 2;
    if (n < 2)
        return;
    if (n <= 16 || !(tmp = hegui_malloc(n * sizeof(*tmp)))) {
        insertion_sort(list->items, n);
        return;
    }
    if (threads > 1 && n >= SORT_SPLIT_MIN) {
        /* the halves side by side, then one merge: the order of one sort
         * (stable, and the comparison is a total order) */
        sort_half left = {list->items, tmp, half},
                  right = {list->items + half, tmp + half, n - half};
        pthread_t helper;
        int started = pthread_create(&helper, NULL, sort_half_main, &left) == 0;
        sort_half_main(&right);
        if (started)
            pthread_join(helper, NULL);
        else
            sort_half_main(&left);
        merge_runs(list->items, tmp, 0, half, n);
        memcpy(list->items, tmp, n * sizeof(*tmp));
    } else {
        merge_sort(list->items, tmp, n);
    }
    hegui_free(tmp);
}

void hegui_findings_sort(hegui_findings *list)
{
    finding_sort(list, 1);
}

/* --- the run --- */

void hegui_run_counts(const hegui_run *run, size_t *out_errors, size_t *out_warnings,
                      size_t *out_infos)
{
    size_t i, errors = 0, warnings = 0, infos = 0;
    for (i = 0; run && i < run->findings.count; i++) {
        switch (run->findings.items[i].severity) {
        case HEGUI_SEVERITY_ERROR:
            errors++;
            break;
        case HEGUI_SEVERITY_WARNING:
            warnings++;
            break;
        case HEGUI_SEVERITY_INFO:
            infos++;
            break;
        }
    }
    if (out_errors)
        *out_errors = errors;
    if (out_warnings)
        *out_warnings = warnings;
    if (out_infos)
        *out_infos = infos;
}

bool hegui_run_passed(const hegui_run *run)
{
    size_t i;
    if (!run || run->fail_on == 0)
        return true;
    for (i = 0; i < run->findings.count; i++) {
        if (run->findings.items[i].severity >= run->fail_on)
            return false;
    }
    return true;
}

void hegui_run_release(hegui_run *run)
{
    size_t i;
    if (!run)
        return;
    for (i = 0; run->inputs && i < run->input_count; i++) {
        hegui_run_input *in = &run->inputs[i];
        hegui_free(in->path);
        hegui_free(in->sha256);
        hegui_free(in->layer);
        hegui_free(in->role);
        hegui_free(in->crs);
        hegui_free(in->encoding);
    }
    hegui_free(run->inputs);
    hegui_free(run->rules_sha256);
    hegui_free(run->rules_source);
    hegui_findings_release(&run->findings);
    for (i = 0; run->totals && i < run->total_count; i++) {
        hegui_free(run->totals[i].zone_code);
        hegui_free(run->totals[i].zone_name);
    }
    hegui_free(run->totals);
    for (i = 0; run->zones && i < run->zone_count; i++) {
        hegui_free(run->zones[i].code);
        hegui_free(run->zones[i].name);
    }
    hegui_free(run->zones);
    for (i = 0; run->blocks && i < run->block_count; i++) {
        hegui_free(run->blocks[i].zone_code);
        hegui_free(run->blocks[i].zone_name);
        hegui_free(run->blocks[i].block);
        hegui_free(run->blocks[i].layer);
        hegui_free(run->blocks[i].wkt);
    }
    hegui_free(run->blocks);
    for (i = 0; run->landuse && i < run->landuse_count; i++) {
        hegui_free(run->landuse[i].zone_code);
        hegui_free(run->landuse[i].zone_name);
        hegui_free(run->landuse[i].class_code);
        hegui_free(run->landuse[i].class_name);
        hegui_free(run->landuse[i].verdict);
    }
    hegui_free(run->landuse);
    for (i = 0; run->intensity && i < run->intensity_count; i++) {
        hegui_free(run->intensity[i].zone_code);
        hegui_free(run->intensity[i].zone_name);
        hegui_free(run->intensity[i].enterprise);
        hegui_free(run->intensity[i].industry_code);
    }
    hegui_free(run->intensity);
    memset(run, 0, sizeof(*run));
}
