/*
 * hash.c - SHA-256 of input datasets, so a report names exactly which bytes
 * it was computed from; and the background job that hashes a catalog's
 * datasets on one thread while the pipeline runs (io/hash_internal.h).
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
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

/* Hashes one file into s, reading it in chunk (HASH_CHUNK_SIZE bytes). A
 * missing optional file (a shapefile's .prj, say) is skipped. Stops with
 * HEGUI_ERROR when *cancel (may be NULL) becomes true: the job's owner no
 * longer wants the digest. */
static int hash_file(hegui_sha256 *s, const char *path, bool required, unsigned char *chunk,
                     const atomic_bool *cancel)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    int rc = HEGUI_OK;
    if (!f) {
        if (!required && errno == ENOENT)
            return HEGUI_OK;
        return hegui_error_set(HEGUI_EINPUT, "%s: cannot read to hash it: %s", path,
                               strerror(errno));
    }
    errno = 0;
    while (rc == HEGUI_OK && (n = fread(chunk, 1, HASH_CHUNK_SIZE, f)) > 0) {
        rc = hegui_sha256_update(s, chunk, n);
        if (rc == HEGUI_OK && cancel && atomic_load(cancel))
            rc = hegui_error_set(HEGUI_ERROR, "%s: hashing cancelled", path);
    }
    if (rc == HEGUI_OK && ferror(f)) /* a wrong digest is worse than none */
        rc = hegui_error_set(HEGUI_EINPUT, "%s: cannot read to hash it: %s", path,
                             strerror(errno ? errno : EIO));
    fclose(f);
    return rc;
}

/* hegui_io_sha256 with a cancellation flag (may be NULL). */
static int hash_dataset(char out_hex[65], const char *path, const atomic_bool *cancel)
{
    static const char *const parts[] = {".shx", ".dbf", ".prj", ".cpg", NULL};
    hegui_sha256 s = {NULL};
    unsigned char *chunk = NULL;
    char *sibling = NULL;
    struct stat sb;
    size_t stem;
    int rc, i;
    out_hex[0] = '\0';
    if (hegui_str_istarts(path, "PG:") || stat(path, &sb) != 0 || S_ISDIR(sb.st_mode))
        return HEGUI_OK; /* connection strings and FileGDB folders: no single file */
    chunk = hegui_malloc(HASH_CHUNK_SIZE);
    if (!chunk)
        return HEGUI_ENOMEM;
    if ((rc = hegui_sha256_init(&s)) < 0)
        goto done;
    if ((rc = hash_file(&s, path, true, chunk, cancel)) < 0)
        goto done;
    if (hegui_str_iends(path, ".shp")) {
        stem = strlen(path) - 4;
        sibling = hegui_malloc(stem + 5);
        if (!sibling) {
            rc = HEGUI_ENOMEM;
            goto done;
        }
        for (i = 0; parts[i]; i++) {
            memcpy(sibling, path, stem);
            memcpy(sibling + stem, parts[i], 5); /* the extension and its NUL */
            if ((rc = hash_file(&s, sibling, false, chunk, cancel)) < 0)
                goto done;
        }
    }
    rc = hegui_sha256_final_hex(&s, out_hex);
done:
    hegui_sha256_release(&s);
    hegui_free(sibling);
    hegui_free(chunk);
    return rc;
}

int hegui_io_sha256(char out_hex[65], const char *path)
{
    return hash_dataset(out_hex, path, NULL);
}

/* --- hashing in the background --- */

struct hegui_io_hash {
    pthread_t thread;
    bool running;        /* thread started and not joined yet */
    atomic_bool cancel;  /* set by hegui_io_hash_free: stop early */
    char **paths;        /* distinct dataset paths, first appearance first; owned */
    char (*digests)[65]; /* per path: lower-case hex, "" for no single file */
    size_t path_count;
    size_t *path_of_layer; /* per catalog layer: its index in paths; owned */
    size_t layer_count;
    int rc;                          /* the hashing's result, written by the thread */
    char message[HASH_MESSAGE_SIZE]; /* the thread's error message when rc < 0 */
};

/* The thread: hashes the paths in order and stops at the first failure,
 * keeping its code and message (the error slot is per thread). */
static void *hash_thread(void *arg)
{
    hegui_io_hash *job = arg;
    size_t i;
    for (i = 0; i < job->path_count && !atomic_load(&job->cancel); i++) {
        int rc = hash_dataset(job->digests[i], job->paths[i], &job->cancel);
        if (rc < 0) {
            job->rc = rc;
            snprintf(job->message, sizeof(job->message), "%s", hegui_error_last());
            break;
        }
    }
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
    atomic_init(&job->cancel, false);
    job->layer_count = count;
    job->paths = hegui_calloc(count ? count : 1, sizeof(*job->paths));
    job->digests = hegui_calloc(count ? count : 1, sizeof(*job->digests));
    job->path_of_layer = hegui_calloc(count ? count : 1, sizeof(*job->path_of_layer));
    if (!job->paths || !job->digests || !job->path_of_layer)
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
        job->path_of_layer[i] = k;
    }
    if (pthread_create(&job->thread, NULL, hash_thread, job) == 0)
        job->running = true;
    else
        hash_thread(job); /* no thread to be had: hash now, same result */
    *out = job;
    return HEGUI_OK;
nomem:
    hegui_io_hash_free(job);
    return HEGUI_ENOMEM;
}

int hegui_io_hash_finish(hegui_io_hash *job)
{
    if (job->running) {
        pthread_join(job->thread, NULL);
        job->running = false;
    }
    if (job->rc < 0)
        return hegui_error_set(job->rc, "%s", job->message);
    return HEGUI_OK;
}

const char *hegui_io_hash_at(const hegui_io_hash *job, size_t layer_index)
{
    assert(!job->running && job->rc == HEGUI_OK && layer_index < job->layer_count);
    return job->digests[job->path_of_layer[layer_index]];
}

void hegui_io_hash_free(hegui_io_hash *job)
{
    size_t i;
    if (!job)
        return;
    if (job->running) {
        atomic_store(&job->cancel, true);
        pthread_join(job->thread, NULL);
    }
    for (i = 0; job->paths && i < job->path_count; i++)
        hegui_free(job->paths[i]);
    hegui_free(job->paths);
    hegui_free(job->digests);
    hegui_free(job->path_of_layer);
    hegui_free(job);
}
