//go:build !windows

package main

import (
	"os"
	"path/filepath"
)

// startedFromExplorer is false outside Windows: `choucha serve --open` does the same there.
func startedFromExplorer() bool { return false }

func documentsDir() (string, error) {
	home, err := os.UserHomeDir()
	return filepath.Join(home, "Documents"), err
}
