/*
 * timings.c - `--timings` (timings.h): one mark per stage, a table at the
 * end.
 */
#define _POSIX_C_SOURCE 200809L

#include "cli/timings.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(clockid_t clock)
{
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_timings_mark(cli_timings *t, const char *name)
{
    cli_timing_mark *m;
    if (!t->on)
        return;
    if (t->count == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 32;
        cli_timing_mark *grown = realloc(t->marks, cap * sizeof(*grown));
        if (!grown)
            return;
        t->marks = grown;
        t->cap = cap;
    }
    m = &t->marks[t->count++];
    m->name = name;
    m->wall = seconds(CLOCK_MONOTONIC);
    m->cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
}

void cli_timings_stage(const char *name, void *payload)
{
    cli_timings_mark(payload, name);
}

static void print_row(FILE *out, const char *name, double wall, double cpu)
{
    if (wall >= 0.0005)
        fprintf(out, "  %-12s %9.3f %9.3f %6.2f\n", name, wall, cpu, cpu / wall);
    else
        fprintf(out, "  %-12s %9.3f %9.3f %6s\n", name, wall, cpu, "-");
}

void cli_timings_print(cli_timings *t, FILE *out)
{
    size_t i;
    if (!t->on)
        return;
    cli_timings_mark(t, NULL);
    if (t->count >= 2) {
        if (t->threads > 0)
            fprintf(out, "hegui: timings (-j %d)\n", t->threads);
        else
            fputs("hegui: timings\n", out);
        fprintf(out, "  %-12s %9s %9s %6s\n", "stage", "wall s", "cpu s", "cores");
        for (i = 0; i + 1 < t->count; i++) {
            /* a stage ends where the next begins; the library's end mark
             * (NULL) is followed by the CLI's next stage */
            if (!t->marks[i].name)
                continue;
            print_row(out, t->marks[i].name, t->marks[i + 1].wall - t->marks[i].wall,
                      t->marks[i + 1].cpu - t->marks[i].cpu);
        }
        print_row(out, "total", t->marks[t->count - 1].wall - t->marks[0].wall,
                  t->marks[t->count - 1].cpu - t->marks[0].cpu);
    }
    free(t->marks);
    memset(t, 0, sizeof(*t));
}
