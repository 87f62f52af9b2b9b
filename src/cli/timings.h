/*
 * cli/timings.h - `--timings`: how long each stage of a run took, wall and
 * CPU seconds, printed on stderr when the run ends.
 *
 * The CLI marks its own stages ("read": the inputs, "reports"); libhegui
 * marks the others through hegui_check_options.stage. A stage lasts until
 * the next mark; CPU seconds are the whole process's (every thread), so
 * CPU / wall is how many cores the stage kept busy.
 */
#ifndef HEGUI_CLI_TIMINGS_H
#define HEGUI_CLI_TIMINGS_H

#include <stdio.h>

typedef struct cli_timing_mark {
    const char *name; /* static or owned by the run; NULL: the end */
    double wall, cpu; /* seconds, monotonic clock and process CPU clock */
} cli_timing_mark;

typedef struct cli_timings {
    int on;      /* --timings given */
    int threads; /* -j, for the heading (0: not shown) */
    cli_timing_mark *marks;
    size_t count, cap;
} cli_timings;

/* Records that stage name begins now (NULL: the last stage ends); a no-op
 * unless t->on. Out of memory, the mark is dropped. */
void cli_timings_mark(cli_timings *t, const char *name);
/* hegui_check_options.stage: payload is the cli_timings. */
void cli_timings_stage(const char *name, void *payload);
/* Ends the last stage now, prints the table (stage, wall s, CPU s, cores)
 * and the total to out; nothing unless t->on. Frees the marks. */
void cli_timings_print(cli_timings *t, FILE *out);

#endif
