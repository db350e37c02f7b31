/*
 * pdf_fonts: the fonts every PDF of pdf_doc loads, as the process holds
 * them, in a header without cairo's or pango's so that the command line's
 * main() can use it.
 */
#ifndef FH_PDF_FONTS_H
#define FH_PDF_FONTS_H

/*
 * Frees fontconfig's configuration and font caches, which the first
 * pdf_render loads and keeps for the rest of the process: tens of
 * megabytes of small blocks.  For a process's end only, when no thread
 * renders any more and none will (the command line calls it as a command
 * returns): what is still held then is what a leak checker walks through
 * at exit, which under the test build's LeakSanitizer took longer than
 * rendering a letter.  Harmless when nothing was rendered.
 */
void pdf_fonts_release(void);

#endif
