/*
 * hash.c - SHA-256 of input datasets, so a report names exactly which bytes
 * it was computed from; and the background job that hashes a catalog's
 * datasets on one thread while the pipeline runs (io/hash_internal.h).
 */
#define _GNU_SOURCE /* SCHED_IDLE */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "io/hash_internal.h"
#include "io/io_internal.h"

/* Bytes read at a time: large reads keep the kernel's read-ahead busy and
 * the hashing at libcrypto's speed. */
#define HASH_CHUNK_SIZE ((size_t)1 << 20)
/* Size of a copied error message (error.c keeps 2048 bytes). */
#define HASH_MESSAGE_SIZE 2048

/* Where the hashing of one dataset stands (the file, and for a shapefile
 * its .shx, .dbf, .prj and .cpg after it), so that it can go a chunk at a
 * time and be carried on by another thread between two chunks. */
typedef struct hash_cursor {
    const char *path;     /* the dataset; borrowed */
    unsigned char *chunk; /* HASH_CHUNK_SIZE bytes; borrowed */
    bool started;
    size_t next_file; /* 0: the path itself, k: shapefile_parts[k - 1] */
    FILE *file;       /* being read, or NULL */
    char *file_path;  /* its path (path, or one of a shapefile's parts); owned */
    hegui_sha256 sha;
} hash_cursor;

static const char *const shapefile_parts[] = {".shx", ".dbf", ".prj", ".cpg"};

static void cursor_release(hash_cursor *c)
{
    if (c->file)
        fclose(c->file);
    hegui_sha256_release(&c->sha);
    hegui_free(c->file_path);
    memset(c, 0, sizeof(*c));
}

/* Opens the dataset's next file: the path itself, then each part of a
 * shapefile that exists (a missing .prj, say, is skipped). c->file stays
 * NULL when every file has been read. */
static int cursor_next_file(hash_cursor *c)
{
    size_t files = hegui_str_iends(c->path, ".shp")
                       ? 1 + sizeof(shapefile_parts) / sizeof(shapefile_parts[0])
                       : 1;
    size_t stem = strlen(c->path) - (files > 1 ? 4 : 0);
    while (c->next_file < files) {
        size_t k = c->next_file++;
        memcpy(c->file_path, c->path, stem);
        strcpy(c->file_path + stem, k == 0 ? c->path + stem : shapefile_parts[k - 1]);
        if ((c->file = fopen(c->file_path, "rb")) != NULL)
            return HEGUI_OK;
        if (k == 0 || errno != ENOENT)
            return hegui_error_set(HEGUI_EINPUT, "%s: cannot read to hash it: %s", c->file_path,
                                   strerror(errno));
    }
    return HEGUI_OK;
}

/* Hashes the dataset's next chunk. Returns 1 while some is left, 0 when
 * out_hex holds the digest ("" for a connection string or a folder, which
 * are no single file), < 0 when a file cannot be read: a wrong digest is
 * worse than none. */
static int cursor_step(hash_cursor *c, char out_hex[65])
{
    struct stat sb;
    size_t n;
    int rc;
    if (!c->started) {
        c->started = true;
        out_hex[0] = '\0';
        if (hegui_str_istarts(c->path, "PG:") || stat(c->path, &sb) != 0 || S_ISDIR(sb.st_mode))
            return 0;
        if (!(c->file_path = hegui_malloc(strlen(c->path) + 5)))
            return HEGUI_ENOMEM;
        if ((rc = hegui_sha256_init(&c->sha)) < 0 || (rc = cursor_next_file(c)) < 0)
            return rc;
        return 1;
    }
    if (!c->file)
        return hegui_sha256_final_hex(&c->sha, out_hex);
    errno = 0;
    if ((n = fread(c->chunk, 1, HASH_CHUNK_SIZE, c->file)) > 0)
        return (rc = hegui_sha256_update(&c->sha, c->chunk, n)) < 0 ? rc : 1;
    if (ferror(c->file))
        return hegui_error_set(HEGUI_EINPUT, "%s: cannot read to hash it: %s", c->file_path,
                               strerror(errno ? errno : EIO));
    fclose(c->file);
    c->file = NULL;
    return (rc = cursor_next_file(c)) < 0 ? rc : 1;
}

int hegui_io_sha256(char out_hex[65], const char *path)
{
    hash_cursor c;
    int rc;
    memset(&c, 0, sizeof(c));
    c.path = path;
    out_hex[0] = '\0';
    if (!(c.chunk = hegui_malloc(HASH_CHUNK_SIZE)))
        return HEGUI_ENOMEM;
    while ((rc = cursor_step(&c, out_hex)) > 0)
        ;
    hegui_free(c.chunk);
    cursor_release(&c);
    if (rc < 0)
        out_hex[0] = '\0';
    return rc;
}

/* --- hashing in the background --- */

struct hegui_io_hash {
    pthread_t thread;
    bool running;        /* thread started and not joined yet */
    atomic_bool stop;    /* the thread leaves the rest to hegui_io_hash_finish, or stops */
    pthread_t helper;    /* at normal priority, from hegui_io_hash_hurry on */
    bool helping;        /* helper started and not joined yet */
    pthread_mutex_t lock; /* held while a chunk is hashed, by the thread or by finish */
    char **paths;        /* distinct dataset paths, first appearance first; owned */
    char (*digests)[65]; /* per path: lower-case hex, "" for no single file */
    size_t path_count;
    size_t next;                     /* paths[next] is the one being hashed */
    hash_cursor cursor;              /* where its hashing stands */
    unsigned char *chunk;            /* the cursor's buffer; owned */
    int rc;                          /* the first failure, kept for finish */
    char message[HASH_MESSAGE_SIZE]; /* its message: the error slot is per thread */
};

/* Hashes the job's next chunk, job->lock held. Returns 1 while some is
 * left, 0 when every digest is in, or the first failure (the same on every
 * later call). */
static int job_step(hegui_io_hash *job)
{
    int rc;
    if (job->rc < 0 || job->next == job->path_count)
        return job->rc;
    if (!job->cursor.path) {
        job->cursor.path = job->paths[job->next];
        job->cursor.chunk = job->chunk;
    }
    if ((rc = cursor_step(&job->cursor, job->digests[job->next])) > 0)
        return 1;
    cursor_release(&job->cursor);
    if (rc < 0) {
        job->rc = rc;
        snprintf(job->message, sizeof(job->message), "%s", hegui_error_last());
        return rc;
    }
    return ++job->next < job->path_count ? 1 : 0;
}

/* The thread hashes only while a core is idle (SCHED_IDLE): the pipeline's
 * workers keep their cores, and hashing fills the gaps between its stages.
 * Whatever is left when the pipeline needs the digests, hegui_io_hash_finish
 * hashes itself, at the caller's priority. */
/* Hashes chunk after chunk until the job is done or stopped. */
static void hash_loop(hegui_io_hash *job)
{
    int more = 1;
    while (more > 0 && !atomic_load(&job->stop)) {
        pthread_mutex_lock(&job->lock);
        if (!atomic_load(&job->stop))
            more = job_step(job);
        pthread_mutex_unlock(&job->lock);
    }
}

static void *hash_thread(void *arg)
{
    struct sched_param idle;
    memset(&idle, 0, sizeof(idle));
    (void)pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle); /* else: at normal priority */
    hash_loop(arg);
    return NULL;
}

/* hegui_io_hash_hurry's thread, at the caller's priority. (Raising the
 * idle thread instead would need CAP_SYS_NICE or an RLIMIT_NICE above 0.) */
static void *helper_thread(void *arg)
{
    hash_loop(arg);
    return NULL;
}

int hegui_io_hash_start(hegui_io_hash **out, const hegui_catalog *catalog)
{
    hegui_io_hash *job;
    size_t i, k, count = catalog->count;
    *out = NULL;
    job = hegui_calloc(1, sizeof(*job));
    if (!job)
        return HEGUI_ENOMEM;
    atomic_init(&job->stop, false);
    pthread_mutex_init(&job->lock, NULL);
    job->paths = hegui_calloc(count ? count : 1, sizeof(*job->paths));
    job->digests = hegui_calloc(count ? count : 1, sizeof(*job->digests));
    job->chunk = hegui_malloc(HASH_CHUNK_SIZE);
    if (!job->paths || !job->digests || !job->chunk)
        goto nomem;
    for (i = 0; i < count; i++) {
        const char *path = catalog->layers[i].path;
        k = 0;
        while (k < job->path_count && strcmp(job->paths[k], path) != 0)
            k++;
        if (k == job->path_count) {
            if (!(job->paths[k] = hegui_strdup(path)))
                goto nomem;
            job->path_count++;
        }
    }
    /* no thread to be had: hegui_io_hash_finish hashes it all, same result */
    job->running = pthread_create(&job->thread, NULL, hash_thread, job) == 0;
    *out = job;
    return HEGUI_OK;
nomem:
    hegui_io_hash_free(job);
    return HEGUI_ENOMEM;
}

void hegui_io_hash_hurry(hegui_io_hash *job)
{
    if (job && job->running && !job->helping)
        job->helping = pthread_create(&job->helper, NULL, helper_thread, job) == 0;
}

/* Joins the threads (after stop is set). */
static void join_threads(hegui_io_hash *job)
{
    if (job->running)
        pthread_join(job->thread, NULL);
    if (job->helping)
        pthread_join(job->helper, NULL);
    job->running = job->helping = false;
}

int hegui_io_hash_finish(hegui_io_hash *job)
{
    atomic_store(&job->stop, true); /* the thread stops after its chunk */
    pthread_mutex_lock(&job->lock);
    while (job_step(job) > 0)
        ;
    pthread_mutex_unlock(&job->lock);
    join_threads(job);
    if (job->rc < 0)
        return hegui_error_set(job->rc, "%s", job->message);
    return HEGUI_OK;
}

const char *hegui_io_hash_of(const hegui_io_hash *job, const char *path)
{
    size_t k;
    assert(!job->running && job->rc == HEGUI_OK);
    for (k = 0; k < job->path_count; k++) {
        if (strcmp(job->paths[k], path) == 0)
            return job->digests[k];
    }
    return NULL;
}

void hegui_io_hash_free(hegui_io_hash *job)
{
    size_t i;
    if (!job)
        return;
    atomic_store(&job->stop, true);
    join_threads(job);
    cursor_release(&job->cursor);
    hegui_free(job->chunk);
    pthread_mutex_destroy(&job->lock);
    for (i = 0; job->paths && i < job->path_count; i++)
        hegui_free(job->paths[i]);
    hegui_free(job->paths);
    hegui_free(job->digests);
    hegui_free(job);
}
