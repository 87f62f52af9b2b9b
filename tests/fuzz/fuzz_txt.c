/*
 * fuzz_txt.c - libFuzzer target for the boundary-point TXT parser
 * (io/txt.c): any bytes must parse without a crash, a leak, undefined
 * behaviour or a read past the end, and what comes out must keep the
 * parser's promises, which the rest of hegui relies on:
 *   - every ring is closed and has at least 4 finite points;
 *   - a hole names a shell ring of its parcel;
 *   - every string handed on (items, parcel fields, messages, the
 *     GeoJSON) is valid UTF-8;
 *   - problem lines lie within the file.
 * A broken promise aborts, so libFuzzer keeps the input as a crash.
 *
 * Built only with clang (tests/CMakeLists.txt); run by `ctest -L fuzz`
 * for 60 seconds and by scripts/fuzz for longer.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hegui/txt.h"
#include "io/io_internal.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int condition)
{
    if (!condition)
        abort();
}

static void require_utf8(const char *s)
{
    require(s != NULL && hegui_utf8_valid(s, strlen(s)));
}

static void check_parcel(const hegui_txt_parcel *p)
{
    size_t r, k;
    require_utf8(p->id);
    require_utf8(p->name);
    require_utf8(p->shape);
    require_utf8(p->sheet);
    require_utf8(p->use);
    require_utf8(p->land_class);
    for (k = 0; k < p->extra_count; k++)
        require_utf8(p->extra[k]);
    require(!p->has_area || (isfinite(p->area_ha) && p->area_ha >= 0));
    require(isfinite(p->area_m2));
    for (r = 0; r < p->ring_count; r++) {
        const hegui_txt_ring *ring = &p->rings[r];
        size_t n = ring->point_count;
        require(n >= 4);
        require(ring->coords[0] == ring->coords[2 * (n - 1)] &&
                ring->coords[1] == ring->coords[2 * (n - 1) + 1]);
        for (k = 0; k < 2 * n; k++)
            require(isfinite(ring->coords[k]));
        require(ring->shell < p->ring_count);
        require(!ring->hole || !p->rings[ring->shell].hole);
        require(ring->hole || ring->shell == r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hegui_txt *txt = NULL;
    hegui_buf json = HEGUI_BUF_INIT;
    size_t i;

    (void)hegui_txt_sniff((const char *)data, size);
    if (hegui_txt_parse(&txt, (const char *)data, size) != HEGUI_OK)
        return 0; /* out of memory: nothing to check */
    require_utf8(txt->encoding);
    for (i = 0; i < txt->item_count; i++) {
        require_utf8(txt->items[i].section);
        require_utf8(txt->items[i].key);
        require_utf8(txt->items[i].value);
    }
    for (i = 0; i < txt->parcel_count; i++)
        check_parcel(&txt->parcels[i]);
    for (i = 0; i < txt->problem_count; i++) {
        const hegui_txt_problem *p = &txt->problems[i];
        require(p->line >= 0 && (size_t)p->line <= txt->line_count);
        require(p->parcel >= -1 && p->parcel < (long)txt->parcel_count);
        require_utf8(p->message_zh);
        require_utf8(p->message_en);
    }
    if (io_txt_geojson(&json, txt, "fuzz") == HEGUI_OK)
        require(hegui_utf8_valid(hegui_buf_cstr(&json), json.len));
    hegui_buf_release(&json);
    hegui_txt_free(txt);
    return 0;
}
