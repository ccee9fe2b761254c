package sampler

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// Prefixer gives the first 8 bytes, big-endian, of one draw's tickets (CHOUCHA-SAMPLE-v1
// §2.2) — what the draw orders its firms by before it looks at whole tickets. A roster reader
// computes them while the file is still being read (PrefixedUnits), so the draw need not hash
// a million keys again afterwards. It is safe for concurrent use.
type Prefixer struct{ msg string }

// NewPrefixer is the Prefixer of the draw of seed, task and round.
func NewPrefixer(seed, taskKey string, round int) Prefixer {
	return Prefixer{msg: string(newTicketer(seed, taskKey, round).buf)}
}

// For names the draw whose tickets these are; PrefixedUnits.PrefixesFor gives it back.
func (p Prefixer) For() string { return p.msg }

// Prefix is the first 8 bytes of key's ticket, big-endian.
func (p Prefixer) Prefix(key string) uint64 {
	t := rawTicket(p.msg, key)
	return binary.BigEndian.Uint64(t[:8])
}

// PrefixedUnits are Units that carry their ticket prefixes, computed beforehand with a
// Prefixer. A draw uses them only when PrefixesFor is its own Prefixer's For — a frame read
// for one draw may serve another — and still hashes every prefixCheck-th unit and every pick
// and reserve, refusing the draw if one differs.
type PrefixedUnits interface {
	Units
	PrefixesFor() string
	Prefix(i int) uint64
}

// prefixCheck: one unit in this many has its given prefix computed again.
const prefixCheck = 1024

// givenPrefixes returns the units' own prefixes when they are for the draw of msg, else nil.
func givenPrefixes(units Units, msg string) func(int) uint64 {
	if pu, ok := units.(PrefixedUnits); ok && pu.PrefixesFor() == msg {
		return pu.Prefix
	}
	return nil
}

// checkGivenPrefixes compares the picks' whole tickets with the prefixes the draw ordered
// them by (entries in slab).
func checkGivenPrefixes(slab []entry, picks []Pick) error {
	for _, p := range picks {
		t, err := strconv.ParseUint(p.Ticket[:16], 16, 64)
		if err != nil || t != slab[p.Unit].prefix {
			return errGivenPrefix(p.Key)
		}
	}
	return nil
}

// errGivenPrefix: a prefix given with the units is not its ticket's.
func errGivenPrefix(key string) error {
	return fmt.Errorf("内部错误：企业 %s 的签号与读取名录时算出的不符，抽取已停止；请报告此问题", key)
}
