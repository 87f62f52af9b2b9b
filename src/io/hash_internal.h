/*
 * io/hash_internal.h - hashing the inputs in the background: one thread
 * computes the SHA-256 (hegui_io_sha256) of every distinct dataset path of
 * a catalog while the pipeline goes on, so that hashing costs no wall time.
 *
 * Lifecycle: hegui_io_hash_start, then hegui_io_hash_finish (waits, gives
 * the result) and hegui_io_hash_at, and always hegui_io_hash_free, which
 * also stops and joins a thread that was never finished: whatever path the
 * caller leaves by, the thread is joined and nothing leaks.
 *
 * Invariants: the thread reads only its own copies of the paths and writes
 * only the job; the caller reads the job only after hegui_io_hash_finish.
 * No GDAL types here (check/ includes this header).
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
 * the catalog is not read by the thread. When no thread can be created the
 * hashing is done here, before returning. On success *out is the job, to be
 * freed with hegui_io_hash_free; HEGUI_ENOMEM leaves *out NULL.
 */
int hegui_io_hash_start(hegui_io_hash **out, const hegui_catalog *catalog);

/**
 * Waits for the hashing to end. Returns 0, or the code of the first dataset
 * that could not be hashed, with the thread's message (naming the path) set
 * again on the calling thread. May be called again: same result.
 */
int hegui_io_hash_finish(hegui_io_hash *job);

/**
 * The digest of catalog layer layer_index (64 lower-case hex digits, or ""
 * for connection strings and folders), after a successful
 * hegui_io_hash_finish. Borrowed: valid until hegui_io_hash_free.
 */
const char *hegui_io_hash_at(const hegui_io_hash *job, size_t layer_index);

/**
 * Frees the job; if hegui_io_hash_finish was not called, first asks the
 * thread to stop after its current chunk and joins it (its result is
 * dropped). NULL-safe.
 */
void hegui_io_hash_free(hegui_io_hash *job);

#endif
