package faxreport

import "time"

// SetStragglerGrace sets how long c's fan-outs let the slower data centers go on after one has
// answered (stragglerGrace by default): a test that must see every answer lengthens it.
func SetStragglerGrace(c *Client, grace time.Duration) { c.stragglerGrace = grace }
