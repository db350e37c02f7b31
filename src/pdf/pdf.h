/*
 * pdf: the PDF layer as the layers above it see it.  The typesetting itself
 * (pdf_doc.h) needs cairo's and pango's headers, which only the render layer
 * compiles against; a server or a command that renders PDFs through
 * letter_pdf() or report_render_pdf() needs only this, to let go at exit.
 */
#ifndef FH_PDF_H
#define FH_PDF_H

/*
 * Releases what fontconfig and cairo keep for the life of the process, so
 * a leak checker sees only what the program lost.  Call once at exit, when
 * no thread can start another PDF.
 */
void pdf_release(void);

#endif
