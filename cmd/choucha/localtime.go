package main

import (
	"fmt"
	"time"
	_ "time/tzdata" // --tz works on machines without a zoneinfo database (Windows)

	"github.com/choucha/choucha/export"
	"github.com/choucha/choucha/internal/apperr"
)

// defaultTZ is the zone of human-facing times. Stored times (manifest created_at, the
// ledger) stay UTC in RFC 3339; tables and folder names show this zone with its offset.
const defaultTZ = "Asia/Shanghai"

// location is the --tz zone.
func (g *globalOptions) location() (*time.Location, error) {
	name := g.tz
	if name == "" {
		name = defaultTZ
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, apperr.Usage(fmt.Errorf("--tz %q 不是有效的时区（例如 Asia/Shanghai、Asia/Urumqi、UTC）", name))
	}
	return loc, nil
}

// localTime shows a stored RFC 3339 time in the --tz zone, with the offset
// ("2026-04-01 09:30:00 +08:00"); a value that does not parse is shown as stored.
func localTime(loc *time.Location, stored string) string { return export.LocalTime(loc, stored) }
