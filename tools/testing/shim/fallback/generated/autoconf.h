/*
 * Used only when a host test is compiled by hand without a configured build
 * tree. The harness (tools/testing/host.mk) puts $(objtree)/include first, so
 * tests normally see the real configuration's CONFIG_ values.
 */
