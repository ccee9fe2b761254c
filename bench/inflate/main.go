// Command inflate is the in-process inflate floor of an xlsx file: it decompresses every part
// with archive/zip into io.Discard and prints the seconds it took. bench/scale.sh compares
// `choucha roster check` with it.
//
//	go run ./bench/inflate [-flate std|klauspost] [-runs 3] file.xlsx
//
// -flate klauspost uses github.com/klauspost/compress/flate as the zip's deflate decompressor
// instead of the standard library's compress/flate; it prints the median of -runs runs.
package main

import (
	"archive/zip"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	kflate "github.com/klauspost/compress/flate"
)

func main() {
	which := flag.String("flate", "std", "deflate decompressor: std or klauspost")
	runs := flag.Int("runs", 1, "runs; the median is printed")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: inflate [-flate std|klauspost] [-runs N] file.xlsx")
		os.Exit(2)
	}
	var times []float64
	var total int64
	for range max(*runs, 1) {
		start := time.Now()
		n, err := inflate(flag.Arg(0), *which)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		times = append(times, time.Since(start).Seconds())
		total = n
	}
	slices.Sort(times)
	fmt.Printf("%.3f %d\n", times[len(times)/2], total)
}

func inflate(path, which string) (int64, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	if which == "klauspost" {
		zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return kflate.NewReader(r) })
	}
	var total int64
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return 0, err
		}
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", f.Name, err)
		}
		total += n
	}
	return total, nil
}
