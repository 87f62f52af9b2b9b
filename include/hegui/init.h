/*
 * hegui/init.h - `hegui init`: a commented rules file written from what
 * hegui detects in a folder (DESIGN.md section 3).
 *
 * The file names every layer of the catalog with the role it was detected
 * in, the attribute fields the rules read from it and (in comments) its
 * CRS, encoding and feature count; the working CRS; and every rule with its
 * default parameters, with Chinese and English comments. It is a valid
 * rules file, and a check with it gives the same findings and totals as a
 * check of the same folder without it.
 */
#ifndef HEGUI_INIT_H
#define HEGUI_INIT_H

#include <stddef.h>

#include "hegui/common.h"
#include "hegui/io.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Options of hegui_init_rules_text. Zero-initialise for the defaults. */
typedef struct hegui_init_options {
    /** Folder the rules file will be saved in: layer paths are written
     *  relative to it, as the rules file resolves them. NULL: the current
     *  folder (for a file printed to stdout and saved there). */
    const char *rules_dir;
    /** The inputs the catalog was scanned from, named in the header
     *  comment (may be NULL). */
    const char *const *inputs;
    size_t input_count;
    /** Settings the file starts from: its working_crs (set by -t_srs,
     *  hegui_config_set_working_crs) is checked and written in place of
     *  the one derived from the zones. NULL: the defaults. */
    const struct hegui_config *config;
} hegui_init_options;

/**
 * Writes the rules file for catalog (scanned without a rules file) into
 * *out, a NUL-terminated UTF-8 text; free it with hegui_free. Layers with no
 * role, and a second layer claiming a role that allows one layer only, are
 * written commented out with the reason. The working CRS is written as its
 * EPSG code when it has one (else left to be derived, ~). HEGUI_ENOMEM, or
 * the working CRS's error when it cannot be derived is not an error (the
 * file then says so).
 */
int hegui_init_rules_text(char **out, const hegui_catalog *catalog,
                          const hegui_init_options *options);

#ifdef __cplusplus
}
#endif
#endif
