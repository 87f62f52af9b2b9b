/*
 * report.c - the reporter table, the atomic file writer every file format
 * goes through, and helpers the formats share (locale-independent numbers,
 * UTC timestamps, UTF-8 decoding and terminal display width).
 *
 * Atomicity: a report is written to a temporary file in the target folder
 * (mkstemp), flushed and fsync'ed, closed, then renamed over the target, so
 * a reader sees either the old file or the complete new one; on any
 * failure the temporary file is removed. Formats whose library must create
 * the file itself (GDAL: write_path) get a fresh temporary name instead of
 * an open stream; the same fsync and rename follow.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "hegui/config.h"
#include "report/report_internal.h"

/* --- the table --- */

/* cost: the time each took alone at 10^6 land-use patches (check --format
 * NAME -j 2, 38 541 findings, at 2dc8e41), report.html's 1.8 s as 100 */
static const hegui_reporter reporters[] = {
    {"console", NULL, report_console_write, NULL, 1},
    {"json", "summary.json", report_json_write, NULL, 18},
    {"junit", "junit.xml", report_junit_write, NULL, 13},
    {"github", NULL, report_github_write, NULL, 1},
    {"gpkg", "findings.gpkg", report_gpkg_write, report_gpkg_write_path, 45},
    {"csv", "findings.csv", report_csv_write, NULL, 23},
    {"xlsx", "report.xlsx", report_xlsx_write, report_xlsx_write_path, 62},
    {"html", "report.html", report_html_write, NULL, 100},
};

const hegui_reporter *hegui_reporters(size_t *out_count)
{
    if (out_count)
        *out_count = sizeof(reporters) / sizeof(reporters[0]);
    return reporters;
}

const hegui_reporter *hegui_reporter_find(const char *name)
{
    size_t i;
    if (!name)
        return NULL;
    for (i = 0; i < sizeof(reporters) / sizeof(reporters[0]); i++) {
        if (strcmp(reporters[i].name, name) == 0)
            return &reporters[i];
    }
    return NULL;
}

const hegui_report_options *report_default_options(void)
{
    static const hegui_report_options defaults = {HEGUI_LANG_ZH, 0, 0, HEGUI_LANG_ZH, 0};
    return &defaults;
}

/* --- atomic file writing --- */

/*
 * Creates folder dir and its missing parents (mkdir -p). On failure sets
 * HEGUI_EOUTPUT naming target (the file to be written) and the folder.
 */
static int make_dirs(const char *dir, const char *target)
{
    int rc = HEGUI_OK;
    char *copy = NULL;
    char *p;
    struct stat st;

    copy = hegui_strdup(dir);
    if (!copy) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (p = copy + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
            rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: cannot create folder %s: %s",
                                 target, copy, strerror(errno));
            goto done;
        }
        *p = '/';
    }
    if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: cannot create folder %s: %s", target,
                             copy, strerror(errno));
        goto done;
    }
    if (stat(copy, &st) != 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s: %s", target, copy,
                             strerror(errno));
        goto done;
    }
    if (!S_ISDIR(st.st_mode)) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s: %s", target, copy,
                             strerror(ENOTDIR));
        goto done;
    }

done:
    hegui_free(copy);
    return rc;
}

/* Makes a rename in folder dir durable; best effort (not every file system
 * can fsync a folder). */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        (void)close(fd);
    }
}

/* Removes path and the SQLite side files a failed database write can leave
 * beside it (path-journal, path-wal, path-shm); with keep_path only the
 * side files. Best effort, no allocation, so it also works when memory ran
 * out. */
static void remove_with_side_files(const char *path, int keep_path)
{
    static const char *const suffixes[] = {"-journal", "-wal", "-shm"};
    char side[PATH_MAX];
    size_t i;
    if (!keep_path)
        (void)unlink(path);
    for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        int n = snprintf(side, sizeof(side), "%s%s", path, suffixes[i]);
        if (n > 0 && (size_t)n < sizeof(side))
            (void)unlink(side);
    }
}

/*
 * The write_path flavour of hegui_report_write_file: reserves a unique name
 * ".<filename>.tmp-XXXXXX" in dir with mkstemp, removes it (the writer must
 * create the file itself: GDAL's GPKG driver refuses an existing file), lets
 * the writer create it, then makes it 0644, fsyncs it and renames it over
 * path (the target). Nothing is left behind on failure.
 */
static int write_file_by_path(const hegui_reporter *reporter, const char *dir, const char *sep,
                              const char *path, const hegui_run *run,
                              const hegui_report_options *options)
{
    int rc = HEGUI_OK;
    int fd = -1, renamed = 0;
    char *tmp = NULL;

    tmp = hegui_sprintf("%s%s.%s.tmp-XXXXXX", dir, sep, reporter->filename);
    if (!tmp) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
        hegui_free(tmp); /* mkstemp left nothing behind */
        tmp = NULL;
        goto done;
    }
    (void)close(fd);
    fd = -1;
    (void)unlink(tmp);

    rc = reporter->write_path(tmp, run, options);
    if (rc < 0) {
        hegui_error_prefix("cannot write %s", path);
        goto done;
    }
    fd = open(tmp, O_RDONLY);
    if (fd < 0 || fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    (void)close(fd);
    fd = -1;
    if (rename(tmp, path) != 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    renamed = 1;
    sync_dir(dir);

done:
    if (fd >= 0)
        (void)close(fd);
    /* after the rename only side files can remain (none in practice) */
    if (tmp)
        remove_with_side_files(tmp, renamed);
    hegui_free(tmp);
    return rc;
}

int hegui_report_write_file(const hegui_reporter *reporter, const char *dir, const hegui_run *run,
                            const hegui_report_options *options)
{
    int rc = HEGUI_OK;
    int fd = -1;
    FILE *fp = NULL;
    char *path = NULL, *tmp = NULL;
    const char *sep;

    if (!reporter || !run || !dir || !*dir)
        return hegui_error_set(HEGUI_EINVAL, "hegui_report_write_file: NULL argument");
    if (!reporter->filename)
        return hegui_error_set(HEGUI_EINVAL, "the %s report writes to a stream, not a file",
                               reporter->name);
    if (!options)
        options = report_default_options();

    sep = dir[strlen(dir) - 1] == '/' ? "" : "/";
    path = hegui_sprintf("%s%s%s", dir, sep, reporter->filename);
    tmp = hegui_sprintf("%s%s.%s.XXXXXX", dir, sep, reporter->filename);
    if (!path || !tmp) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    rc = make_dirs(dir, path);
    if (rc < 0)
        goto done;
    if (reporter->write_path) {
        hegui_free(tmp);
        tmp = NULL;
        rc = write_file_by_path(reporter, dir, sep, path, run, options);
        goto done;
    }

    fd = mkstemp(tmp);
    if (fd < 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
        /* mkstemp left nothing behind */
        hegui_free(tmp);
        tmp = NULL;
        goto done;
    }
    /* mkstemp creates 0600; a report is meant to be read by others */
    (void)fchmod(fd, 0644);
    fp = fdopen(fd, "wb");
    if (!fp) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    fd = -1; /* owned by fp now */

    rc = reporter->write(fp, run, options);
    if (rc < 0) {
        hegui_error_prefix("cannot write %s", path);
        goto done;
    }
    if (fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    if (fclose(fp) != 0) {
        fp = NULL;
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    fp = NULL;
    if (rename(tmp, path) != 0) {
        rc = hegui_error_set(HEGUI_EOUTPUT, "cannot write %s: %s", path, strerror(errno));
        goto done;
    }
    hegui_free(tmp);
    tmp = NULL; /* renamed: nothing to remove */
    sync_dir(dir);

done:
    if (fp)
        fclose(fp);
    if (fd >= 0)
        close(fd);
    if (tmp && rc < 0)
        (void)unlink(tmp);
    hegui_free(tmp);
    hegui_free(path);
    return rc;
}

/* --- shared helpers --- */

int report_flush(FILE *out, hegui_buf *buf)
{
    if (buf->failed)
        return HEGUI_ENOMEM;
    if (buf->len > 0 && fwrite(buf->ptr, 1, buf->len, out) != buf->len)
        return hegui_error_set(HEGUI_EOUTPUT, "write error: %s", strerror(errno));
    buf->len = 0;
    if (buf->ptr)
        buf->ptr[0] = '\0';
    return HEGUI_OK;
}

int report_flush_some(FILE *out, hegui_buf *buf)
{
    if (buf->failed)
        return HEGUI_ENOMEM;
    return buf->len > REPORT_FLUSH_BYTES ? report_flush(out, buf) : HEGUI_OK;
}

void report_format_fixed(char *out, size_t size, double value, int decimals)
{
    const char *point;
    char *p;
    int nonzero = 0;

    snprintf(out, size, "%.*f", decimals, value);
    /* printf follows LC_NUMERIC: put the locale's decimal point back to '.' */
    point = localeconv()->decimal_point;
    if (point && *point && strcmp(point, ".") != 0) {
        p = strstr(out, point);
        if (p) {
            size_t n = strlen(point);
            *p = '.';
            memmove(p + 1, p + n, strlen(p + n) + 1);
        }
    }
    /* A tiny negative value rounds to "-0.00": print it as 0 */
    if (out[0] == '-') {
        for (p = out + 1; *p; p++) {
            if (*p >= '1' && *p <= '9')
                nonzero = 1;
        }
        if (!nonzero)
            memmove(out, out + 1, strlen(out));
    }
}

/* Proleptic Gregorian date of days since 1970-01-01 (H. Hinnant's
 * civil_from_days), so no gmtime_r and no time zone database is needed. */
static void civil_from_days(long long days, long long *out_year, unsigned *out_month,
                            unsigned *out_day)
{
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned day = doy - (153 * mp + 2) / 5 + 1;
    unsigned month = mp < 10 ? mp + 3 : mp - 9;
    *out_year = (long long)yoe + era * 400 + (month <= 2);
    *out_month = month;
    *out_day = day;
}

void report_format_utc(char *out, size_t size, long long timestamp)
{
    long long days = timestamp / 86400, secs = timestamp % 86400, year;
    unsigned month, day;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    civil_from_days(days, &year, &month, &day);
    snprintf(out, size, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", year, month, day, secs / 3600,
             secs / 60 % 60, secs % 60);
}

size_t report_utf8_next(const char *s, uint32_t *out_cp)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t cp, min;
    size_t len, i;

    if (!p[0]) {
        *out_cp = 0;
        return 0;
    }
    if (p[0] < 0x80) {
        *out_cp = p[0];
        return 1;
    }
    if ((p[0] & 0xE0) == 0xC0) {
        len = 2;
        cp = p[0] & 0x1Fu;
        min = 0x80;
    } else if ((p[0] & 0xF0) == 0xE0) {
        len = 3;
        cp = p[0] & 0x0Fu;
        min = 0x800;
    } else if ((p[0] & 0xF8) == 0xF0) {
        len = 4;
        cp = p[0] & 0x07u;
        min = 0x10000;
    } else {
        *out_cp = 0xFFFD;
        return 1;
    }
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) { /* also stops at the NUL */
            *out_cp = 0xFFFD;
            return 1;
        }
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *out_cp = 0xFFFD;
        return 1;
    }
    *out_cp = cp;
    return len;
}

int report_codepoint_width(uint32_t cp)
{
    /* East Asian Wide (W) and Fullwidth (F) blocks, simplified to ranges */
    static const uint32_t wide[][2] = {
        {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x2E80, 0x303E},
        {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
        {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
        {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
        {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };
    size_t i;
    if (cp == 0 || cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0;
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0xFE00 && cp <= 0xFE0F))
        return 0; /* combining marks, zero-width spaces, variation selectors */
    for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++) {
        if (cp >= wide[i][0] && cp <= wide[i][1])
            return 2;
    }
    return 1;
}

size_t report_display_width(const char *s)
{
    size_t width = 0, n;
    uint32_t cp;
    if (!s)
        return 0;
    while ((n = report_utf8_next(s, &cp)) > 0) {
        width += (size_t)report_codepoint_width(cp);
        s += n;
    }
    return width;
}

const char *report_rule_title(const char *id, hegui_lang lang)
{
    const hegui_rule_def *def = hegui_rules_find(id);
    if (!def)
        return "";
    return lang == HEGUI_LANG_EN ? def->title_en : def->title_zh;
}

void report_rule_rgb(const char *id, unsigned char out_rgb[3])
{
    /* one colour per rule id for every map and style (docs/reports.md) */
    static const struct {
        const char *rule;
        unsigned char rgb[3];
    } colours[] = {
        {"S01", {228, 26, 28}},   {"S02", {255, 127, 0}},  {"S03", {152, 78, 163}},
        {"S04", {55, 126, 184}},  {"S05", {77, 175, 74}},  {"S06", {166, 86, 40}},
        {"S07", {120, 120, 120}}, {"C01", {230, 171, 2}},   {"C02", {27, 158, 119}}, {"C03", {117, 112, 179}},
        {"C04", {231, 41, 138}},  {"C05", {102, 166, 30}}, {"C06", {31, 120, 180}},
        {"I01", {251, 154, 153}}, {"I02", {106, 61, 154}}, {"I03", {177, 89, 40}},
    };
    size_t i;
    for (i = 0; id && i < sizeof(colours) / sizeof(colours[0]); i++) {
        if (strcmp(colours[i].rule, id) == 0) {
            memcpy(out_rgb, colours[i].rgb, 3);
            return;
        }
    }
    out_rgb[0] = out_rgb[1] = out_rgb[2] = 128;
}

double report_round(double value, int decimals)
{
    char text[512];
    const char *p;
    unsigned long long mantissa = 0;
    int digits = 0, negative = 0, k;
    double scale = 1.0;

    report_format_fixed(text, sizeof(text), value, decimals);
    /* parse the printed digits back without strtod (which follows the
     * locale): an integer of at most 15 digits and a power of ten are both
     * exact doubles, so their quotient is the correctly rounded value */
    p = text;
    if (*p == '-') {
        negative = 1;
        p++;
    }
    for (; *p; p++) {
        if (*p == '.')
            continue;
        if (*p < '0' || *p > '9' || ++digits > 15)
            return value;
        mantissa = mantissa * 10u + (unsigned)(*p - '0');
    }
    for (k = 0; k < decimals; k++)
        scale *= 10.0;
    value = (double)mantissa / scale;
    return negative ? -value : value;
}

/* Appends s escaped for XML; attr: also tab/LF/CR as character
 * references, so attribute-value normalisation keeps them. */
void report_put_xml(hegui_buf *buf, const char *s, int attr)
{
    uint32_t cp;
    size_t n;
    while (s && (n = report_utf8_next(s, &cp)) > 0) {
        switch (cp) {
        case '&':
            hegui_buf_puts(buf, "&amp;");
            break;
        case '<':
            hegui_buf_puts(buf, "&lt;");
            break;
        case '>':
            hegui_buf_puts(buf, "&gt;");
            break;
        case '"':
            hegui_buf_puts(buf, "&quot;");
            break;
        case '\'':
            hegui_buf_puts(buf, "&apos;");
            break;
        case '\t':
            hegui_buf_puts(buf, attr ? "&#9;" : "\t");
            break;
        case '\n':
            hegui_buf_puts(buf, attr ? "&#10;" : "\n");
            break;
        case '\r':
            hegui_buf_puts(buf, "&#13;");
            break;
        default:
            if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF)
                break; /* not allowed in XML 1.0 */
            if (cp == 0xFFFD && n == 1)
                hegui_buf_puts(buf, "\xEF\xBF\xBD"); /* invalid byte */
            else
                hegui_buf_put(buf, s, n);
        }
        s += n;
    }
}

/* --- several files at once --- */

/* One hegui_report_write_files call: the reporters by cost, the next to
 * take, and each one's result and message (the writer's thread's). */
typedef struct files_job {
    const hegui_reporter *const *list;
    size_t count;
    size_t *order; /* indexes into list, costliest first */
    size_t next;   /* next position in order to take */
    const char *dir;
    const hegui_run *run;
    const hegui_report_options *options;
    int *status;     /* per reporter */
    char **messages; /* per failed reporter, or NULL */
    pthread_mutex_t lock;
} files_job;

static void *files_worker(void *arg)
{
    files_job *job = arg;
    for (;;) {
        size_t k;
        pthread_mutex_lock(&job->lock);
        k = job->next < job->count ? job->order[job->next++] : SIZE_MAX;
        pthread_mutex_unlock(&job->lock);
        if (k == SIZE_MAX)
            return NULL;
        job->status[k] = hegui_report_write_file(job->list[k], job->dir, job->run, job->options);
        if (job->status[k] < 0)
            job->messages[k] = hegui_strdup(hegui_error_last());
    }
}

int hegui_report_write_files(const hegui_reporter *const *list, size_t count, const char *dir,
                             const hegui_run *run, const hegui_report_options *options, int threads,
                             int *status)
{
    files_job job;
    pthread_t helpers[8];
    size_t i, j, started = 0, wanted;
    int rc = HEGUI_OK;
    long cores = threads > 0 ? threads : sysconf(_SC_NPROCESSORS_ONLN);

    memset(&job, 0, sizeof(job));
    job.list = list;
    job.count = count;
    job.dir = dir;
    job.run = run;
    job.options = options;
    job.order = hegui_calloc(count ? count : 1, sizeof(*job.order));
    job.status = hegui_calloc(count ? count : 1, sizeof(*job.status));
    job.messages = hegui_calloc(count ? count : 1, sizeof(*job.messages));
    if (!job.order || !job.status || !job.messages) {
        rc = HEGUI_ENOMEM;
        goto done;
    }
    for (i = 0; i < count; i++) { /* insertion by cost, stable: list order among equals */
        for (j = i; j > 0 && list[job.order[j - 1]]->cost < list[i]->cost; j--)
            job.order[j] = job.order[j - 1];
        job.order[j] = i;
    }
    pthread_mutex_init(&job.lock, NULL);
    /* the calling thread writes too: cores - 1 helpers, one file each at most */
    wanted = cores > 1 ? (size_t)cores - 1 : 0;
    if (count > 0 && wanted > count - 1)
        wanted = count - 1;
    if (wanted > sizeof(helpers) / sizeof(helpers[0]))
        wanted = sizeof(helpers) / sizeof(helpers[0]);
    while (started < wanted && pthread_create(&helpers[started], NULL, files_worker, &job) == 0)
        started++; /* fewer threads: the calling one still writes every file */
    files_worker(&job);
    for (i = 0; i < started; i++)
        pthread_join(helpers[i], NULL);
    pthread_mutex_destroy(&job.lock);
    for (i = 0; i < count && rc == HEGUI_OK; i++) {
        if (job.status[i] < 0)
            rc = job.messages[i] ? hegui_error_set(job.status[i], "%s", job.messages[i])
                                 : job.status[i];
    }
    if (status)
        memcpy(status, job.status, count * sizeof(*status));
done:
    for (i = 0; job.messages && i < count; i++)
        hegui_free(job.messages[i]);
    hegui_free(job.messages);
    hegui_free(job.status);
    hegui_free(job.order);
    return rc;
}
