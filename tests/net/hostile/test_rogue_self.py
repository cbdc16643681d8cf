"""The rogue itself: an honest handler gives a lease, so that a refusal in
the other cases is lessee's doing and not a broken rogue."""

from rogue import DISCOVER, REQUEST, serve_normally


def test_rogue_serves_a_lease(hostile):
    r = hostile.rogue(serve_normally("192.0.2.123"))
    lsn = hostile.lessee()
    state = hostile.expect_lease(lsn, "192.0.2.123")
    assert state["mtu"] == 1500
    assert DISCOVER in r.types_seen() and REQUEST in r.types_seen()
    assert len(r.sent) >= 2
