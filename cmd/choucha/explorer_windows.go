//go:build windows

package main

import (
	"github.com/inconshreveable/mousetrap"
	"golang.org/x/sys/windows"
)

// startedFromExplorer reports whether choucha.exe was double-clicked in Explorer (its
// parent is explorer.exe and it has a console of its own).
func startedFromExplorer() bool { return mousetrap.StartedByExplorer() }

// documentsDir is the user's Documents folder (文档), wherever it has been moved to.
func documentsDir() (string, error) {
	return windows.KnownFolderPath(windows.FOLDERID_Documents, 0)
}
