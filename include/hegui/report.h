/*
 * hegui/report.h - the reporters: one file per output format under
 * src/report/, one entry in the reporter table. Every file is written
 * atomically (temporary file in the same folder, then rename), and the
 * same run gives the same bytes (timestamps from run->timestamp).
 *
 * A reporter writes to a stream (write) and, when its library needs a file
 * name rather than a FILE* (GDAL for findings.gpkg, libxlsxwriter for
 * report.xlsx), also to a path (write_path); hegui_report_write_file uses
 * write_path when it is set.
 */
#ifndef HEGUI_REPORT_H
#define HEGUI_REPORT_H

#include <stdio.h>

#include "hegui/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hegui_lang { HEGUI_LANG_ZH = 0, HEGUI_LANG_EN = 1 } hegui_lang;

typedef struct hegui_report_options {
    hegui_lang lang;  /**< messages: console, junit, github (the CLI's default:
                           the locale) */
    int color;   /**< console: ANSI colours */
    int quiet;   /**< console: the verdict line only */
    hegui_lang document_lang; /**< documents for people, report.html and the
                                   messages in report.xlsx: Chinese unless
                                   asked otherwise (the CLI's --lang), whatever
                                   the locale */
    int threads;              /**< threads a writer may format on (-j): 1 formats on the
                                   writing thread alone; 0: the writer's choice */
} hegui_report_options;

typedef struct hegui_reporter {
    const char *name;     /**< --format name: "console", "json", "junit", "github" … */
    const char *filename; /**< file written in the output folder; NULL: a stream */
    /** Writes the report to out (a file opened by the caller, or stdout). */
    int (*write)(FILE *out, const hegui_run *run, const hegui_report_options *options);
    /**
     * Optional (NULL for most formats): creates the report as a new file at
     * path, which does not exist when called. On failure the writer may
     * leave a partial file (and files beside it named path + "-journal",
     * "-wal", "-shm"); the caller removes them. hegui_report_write_file
     * calls this instead of write when it is set.
     */
    int (*write_path)(const char *path, const hegui_run *run, const hegui_report_options *options);
    /** Rank of the time it takes to write, largest first (report.html is
     *  100): hegui_report_write_files starts the longest first. */
    int cost;
} hegui_reporter;

/** The reporter table. Static storage. */
const hegui_reporter *hegui_reporters(size_t *out_count);
/** Reporter by --format name, or NULL. */
const hegui_reporter *hegui_reporter_find(const char *name);

/**
 * Writes reporter into dir/reporter->filename atomically (dir is created if
 * missing): through write_path when the reporter has one (temporary name
 * ".<filename>.tmp-XXXXXX" in dir), else through write on a temporary file
 * ".<filename>.XXXXXX"; then fsync and rename over the target. On failure
 * no temporary file is left and an existing target is untouched.
 * HEGUI_EOUTPUT naming the path on failure (or the writer's code).
 */
int hegui_report_write_file(const hegui_reporter *reporter, const char *dir,
                            const hegui_run *run, const hegui_report_options *options);

/**
 * Writes every reporter of list (count of them, each with a filename) into
 * dir, each as hegui_report_write_file does, on up to threads threads (0:
 * one per core; the calling thread is one of them), the costliest first.
 * Each file holds the same bytes however many threads write. Every
 * reporter is written whatever another's result; status (count entries,
 * or NULL) receives each one's result. Returns 0, or the first failure in
 * list order with its message (naming the path) set on the calling thread.
 */
int hegui_report_write_files(const hegui_reporter *const *list, size_t count, const char *dir,
                             const hegui_run *run, const hegui_report_options *options, int threads,
                             int *status);

#ifdef __cplusplus
}
#endif
#endif
