// Package scale holds the tests that run choucha's generated SQL on a real engine (DuckDB
// through cgo). It is its own module so that the main module stays pure Go and cross-compiles.
package scale
