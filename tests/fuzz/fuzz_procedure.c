/*
 * Fuzz target: a procedure file, as `fairhearing procedures check` and
 * `install` read it from an administrator.  A refused file must list at
 * least one problem; an accepted one must answer for each of its stages.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "procedure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	fh_procedure *proc = NULL;
	proc_problems problems = {0};
	fh_error err = {0};
	fh_status s = procedure_parse(text, &proc, &problems, &err);
	if (s) {
		assert(proc == NULL);
		assert(err.message[0] != '\0');
	} else {
		for (int n = 0; n <= 12; n++) {
			const proc_stage *stage = procedure_stage(proc, n);
			(void)(stage && procedure_requires(stage, "findings"));
		}
		procedure_free(proc);
	}
	free(text);
	return 0;
}
