/*
 * layer_check: an empty program the build links with one layer's library
 * whole (meson.build, "the layers"), and with nothing but the libraries that
 * layer may use.  It does nothing when run; that it links at all is the
 * check: a core file that calls SQLite, or a store file that calls the
 * server, leaves an undefined symbol and fails the build.
 */
int main(void)
{
	return 0;
}
