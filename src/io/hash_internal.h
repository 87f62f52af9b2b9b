/*
 * io/hash_internal.h - hashing the inputs in the background: one thread
 * computes the SHA-256 (hegui_io_sha256) of every distinct dataset path of
 * a catalog while the pipeline goes on. The thread runs at idle priority
 * (SCHED_IDLE), so it takes no core from the pipeline's workers and fills
 * the gaps between the pipeline's stages, until hegui_io_hash_hurry adds a
 * thread at normal priority for the last stage; what is left when the
 * pipeline needs the digests, the caller of hegui_io_hash_finish hashes
 * itself.
 *
 * Lifecycle: hegui_io_hash_start, then hegui_io_hash_finish (stops the
 * thread after its chunk, hashes the rest, gives the result) and
 * hegui_io_hash_of, and always hegui_io_hash_free, which also stops and
 * joins a thread that was never finished: whatever path the caller leaves
 * by, the thread is joined and nothing leaks.
 *
 * Invariants: the thread reads only its own copies of the paths; the job's
 * position (dataset, file, SHA-256 state) is changed only under its lock, a
 * 1 MiB chunk at a time, by one thread at a time; the caller reads the
 * digests only after hegui_io_hash_finish. No GDAL types here (check/
 * includes this header).
 */
#ifndef HEGUI_IO_HASH_INTERNAL_H
#define HEGUI_IO_HASH_INTERNAL_H

#include <stddef.h>

#include "hegui/io.h"

/** A background hashing job. Opaque. */
typedef struct hegui_io_hash hegui_io_hash;

/**
 * Starts hashing every distinct path of catalog's layers (compared byte for
 * byte, first appearance first) on a new thread; the paths are copied, so
 * the catalog is not read by the thread. When no thread can be created,
 * hegui_io_hash_finish does all the hashing. On success *out is the job, to be
 * freed with hegui_io_hash_free; HEGUI_ENOMEM leaves *out NULL.
 */
int hegui_io_hash_start(hegui_io_hash **out, const hegui_catalog *catalog);

/**
 * Adds a thread at the caller's priority that hashes alongside the idle
 * one: what is not hashed yet then shares the cores with the work that
 * follows (the totals' threads, say) instead of waiting for an idle moment,
 * or for hegui_io_hash_finish to hash it with every other core idle.
 * NULL-safe, and a no-op once finished or hurried; the digests are the same.
 */
void hegui_io_hash_hurry(hegui_io_hash *job);

/**
 * Ends the hashing: stops the thread after the chunk it is on and hashes
 * what is left on the calling thread. Returns 0, or the code of the first
 * dataset that could not be hashed, with its message (naming the path) set
 * again on the calling thread. May be called again: same result.
 */
int hegui_io_hash_finish(hegui_io_hash *job);

/**
 * The digest of the dataset at path (as a catalog layer names it: 64
 * lower-case hex digits, or "" for connection strings and folders), after
 * a successful hegui_io_hash_finish; NULL when the job was not given that
 * path. Borrowed: valid until hegui_io_hash_free.
 */
const char *hegui_io_hash_of(const hegui_io_hash *job, const char *path);

/**
 * Frees the job; if hegui_io_hash_finish was not called, first asks the
 * thread to stop after its current chunk and joins it (its result is
 * dropped). NULL-safe.
 */
void hegui_io_hash_free(hegui_io_hash *job);

#endif
