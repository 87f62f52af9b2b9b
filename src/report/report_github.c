/*
 * report_github.c - GitHub Actions workflow commands: one annotation per
 * finding, in the run's finding order.
 *
 *   ::error file=PATH,title=S03 Surveyed vs declared area::MESSAGE (1500.00 m²)
 *
 * error -> ::error, warning -> ::warning, info -> ::notice. file is the
 * path of the input the finding's layer was read from (else the layer
 * name; left out when the finding has no layer). Escaping follows the
 * workflow-command rules: in the message '%', CR and LF become %25, %0D
 * and %0A; in property values ':' and ',' also become %3A and %2C.
 */
#include <string.h>

#include "hegui/config.h"
#include "report/report_internal.h"

/* Appends s escaped as workflow-command data (property: also ':' ','). */
static void put_escaped(hegui_buf *buf, const char *s, int property)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '%':
            hegui_buf_puts(buf, "%25");
            break;
        case '\r':
            hegui_buf_puts(buf, "%0D");
            break;
        case '\n':
            hegui_buf_puts(buf, "%0A");
            break;
        case ':':
            if (property)
                hegui_buf_puts(buf, "%3A");
            else
                hegui_buf_putc(buf, ':');
            break;
        case ',':
            if (property)
                hegui_buf_puts(buf, "%2C");
            else
                hegui_buf_putc(buf, ',');
            break;
        default:
            hegui_buf_putc(buf, *s);
        }
    }
}

static const char *command_of(hegui_severity severity)
{
    switch (severity) {
    case HEGUI_SEVERITY_ERROR:
        return "error";
    case HEGUI_SEVERITY_WARNING:
        return "warning";
    case HEGUI_SEVERITY_INFO:
        return "notice";
    }
    return "notice";
}

/* Path of the input that layer was read from, else layer itself. */
static const char *file_of(const hegui_run *run, const char *layer)
{
    size_t i;
    for (i = 0; run->inputs && i < run->input_count; i++) {
        const hegui_run_input *in = &run->inputs[i];
        if (in->layer && in->path && *in->path && strcmp(in->layer, layer) == 0)
            return in->path;
    }
    return layer;
}

int report_github_write(FILE *out, const hegui_run *run, const hegui_report_options *options)
{
    int rc = HEGUI_OK;
    hegui_buf buf = HEGUI_BUF_INIT;
    hegui_buf title = HEGUI_BUF_INIT;
    size_t i;

    (void)options; /* GitHub shows the English messages */
    for (i = 0; i < run->findings.count; i++) {
        const hegui_finding *f = &run->findings.items[i];
        const char *rule_title = report_rule_title(f->rule, HEGUI_LANG_EN);

        hegui_buf_printf(&buf, "::%s ", command_of(f->severity));
        if (f->layer && *f->layer) {
            hegui_buf_puts(&buf, "file=");
            put_escaped(&buf, file_of(run, f->layer), 1);
            hegui_buf_putc(&buf, ',');
        }
        title.len = 0;
        hegui_buf_puts(&title, f->rule);
        if (*rule_title) {
            hegui_buf_putc(&title, ' ');
            hegui_buf_puts(&title, rule_title);
        }
        if (title.failed) {
            rc = HEGUI_ENOMEM;
            goto done;
        }
        hegui_buf_puts(&buf, "title=");
        put_escaped(&buf, hegui_buf_cstr(&title), 1);
        hegui_buf_puts(&buf, "::");
        put_escaped(&buf, f->message_en, 0);
        if (f->has_area) {
            char area[64];
            report_format_fixed(area, sizeof(area), f->area_m2, 2);
            hegui_buf_printf(&buf, " (%s m\xC2\xB2)", area);
        }
        hegui_buf_putc(&buf, '\n');
        if ((rc = report_flush_some(out, &buf)) < 0)
            goto done;
    }
    rc = report_flush(out, &buf);

done:
    hegui_buf_release(&title);
    hegui_buf_release(&buf);
    return rc;
}
