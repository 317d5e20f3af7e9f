"""kazoo (python-zk) against a ZooKeeper-compatible server.

Usage: /usr/bin/python3 kazoo_check.py HOST:PORT [SCENARIO ...]
Runs each scenario in its own namespace and prints one JSON object on the last line of stdout:
{"scenario": {"ok": bool, "result": ..., "error": "..."}}. The vitest side asserts on it.
Every wait is bounded; nothing depends on timing beyond "eventually, within a few seconds".
HOST:PORT may list several servers (an ensemble): where one session reads what another wrote, it
syncs first, as ZooKeeper's consistency guarantees require (a session sees its own writes in order;
another server may not have applied other sessions' writes yet).
"""

import json
import sys
import threading
import time
import traceback
import uuid

from kazoo.client import KazooClient
from kazoo.exceptions import BadVersionError, NoNodeError, NodeExistsError, NotEmptyError, NoAuthError
from kazoo.recipe.barrier import Barrier
from kazoo.recipe.cache import TreeCache, TreeEvent
from kazoo.recipe.counter import Counter
from kazoo.recipe.election import Election
from kazoo.recipe.lock import Lock
from kazoo.recipe.queue import Queue
from kazoo.security import make_digest_acl

HOSTS = sys.argv[1]
WAIT = 10.0


def client(**kw):
    c = KazooClient(hosts=HOSTS, timeout=10.0, connection_retry={"max_tries": 3, "delay": 0.2}, **kw)
    c.start(timeout=15)
    return c


def wait_until(pred, timeout=WAIT):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def err_name(f):
    try:
        f()
        return "ok"
    except Exception as e:  # noqa: BLE001 - we report the class name
        return type(e).__name__


def crud(root):
    zk = client()
    try:
        out = {}
        zk.ensure_path(root + "/a/b")
        out["created"] = zk.create(root + "/x", b"hello")
        data, stat = zk.get(root + "/x")
        out["get"] = [data.decode(), stat.version, stat.numChildren, stat.dataLength]
        stat = zk.set(root + "/x", b"world")
        out["set_version"] = stat.version
        out["bad_version"] = err_name(lambda: zk.set(root + "/x", b"z", version=7))
        out["exists_missing"] = zk.exists(root + "/nope") is None
        out["node_exists"] = err_name(lambda: zk.create(root + "/x"))
        out["no_node"] = err_name(lambda: zk.get(root + "/nope"))
        s1 = zk.create(root + "/seq-", b"", sequence=True)
        s2 = zk.create(root + "/seq-", b"", sequence=True)
        out["seq"] = [s1[len(root) + 1:], s2[len(root) + 1:]]
        eph = zk.create(root + "/eph", b"e", ephemeral=True)
        out["eph_owner_is_session"] = zk.exists(eph).ephemeralOwner == zk.client_id[0]
        out["children"] = sorted(zk.get_children(root))
        out["not_empty"] = err_name(lambda: zk.delete(root + "/a"))
        zk.delete(root + "/a", recursive=True)
        out["after_delete"] = sorted(zk.get_children(root))
        _, stat = zk.get(root)
        out["root_cversion"] = stat.cversion
        out["create_makepath"] = zk.create(root + "/deep/er/node", b"d", makepath=True)
        path, stat = zk.create(root + "/with-stat", b"abc", include_data=True)  # create2
        out["create2"] = [path[len(root):], stat.version, stat.dataLength, stat.czxid == stat.mzxid]
        out["ruok"] = zk.command(b"ruok")
        out["server_version"] = list(zk.server_version())
        return out
    finally:
        zk.stop()
        zk.close()


def watches(root):
    zk = client()
    other = client()
    try:
        zk.ensure_path(root + "/w")
        data_seen = []
        children_seen = []

        @zk.DataWatch(root + "/w")
        def on_data(data, stat):  # noqa: ARG001
            data_seen.append(None if data is None else data.decode())

        @zk.ChildrenWatch(root + "/w")
        def on_children(children):
            children_seen.append(sorted(children))

        wait_until(lambda: len(data_seen) >= 1 and len(children_seen) >= 1)
        other.set(root + "/w", b"one")
        wait_until(lambda: "one" in data_seen)
        other.set(root + "/w", b"two")
        wait_until(lambda: "two" in data_seen)
        other.create(root + "/w/c1")
        wait_until(lambda: ["c1"] in children_seen)
        other.create(root + "/w/c2")
        wait_until(lambda: ["c1", "c2"] in children_seen)
        other.delete(root + "/w/c1")
        wait_until(lambda: ["c2"] in children_seen)

        # A one-shot watch through the plain API.
        fired = threading.Event()
        events = []

        def watcher(ev):
            events.append([ev.type, ev.path[len(root):]])
            fired.set()

        zk.exists(root + "/later", watch=watcher)
        other.create(root + "/later")
        fired.wait(WAIT)

        # Ephemeral of another session disappears when it closes.
        gone = threading.Event()
        third = client()
        third.create(root + "/w/eph", ephemeral=True)
        zk.sync(root + "/w")
        zk.exists(root + "/w/eph", watch=lambda ev: (events.append([ev.type, ev.path[len(root):]]), gone.set()))
        third.stop()
        third.close()
        gone.wait(WAIT)
        return {"data": data_seen, "children": children_seen, "events": events}
    finally:
        other.stop()
        other.close()
        zk.stop()
        zk.close()


def transactions(root):
    zk = client()
    try:
        zk.ensure_path(root)
        zk.create(root + "/t", b"0")
        t = zk.transaction()
        t.create(root + "/t/a", b"a")
        t.set_data(root + "/t", b"1", version=0)
        t.check(root + "/t", 1)
        t.create(root + "/t/b", b"b")
        t.delete(root + "/t/b")
        ok = t.commit()
        ok_types = [type(r).__name__ if isinstance(r, Exception) else ("stat" if hasattr(r, "version") else r if r is True else str(r)[len(root):]) for r in ok]
        t = zk.transaction()
        t.create(root + "/t/c", b"c")
        t.set_data(root + "/t", b"2", version=9)
        t.create(root + "/t/d", b"d")
        bad = t.commit()
        bad_types = [type(r).__name__ if isinstance(r, Exception) else str(r) for r in bad]
        return {
            "ok": ok_types,
            "failed": bad_types,
            "children": sorted(zk.get_children(root + "/t")),
            "data": zk.get(root + "/t")[0].decode(),
        }
    finally:
        zk.stop()
        zk.close()


def acls(root):
    zk = client()
    other = client()
    try:
        zk.ensure_path(root)
        zk.add_auth("digest", "alice:secret")
        acl = make_digest_acl("alice", "secret", all=True)
        zk.create(root + "/private", b"p", acl=[acl])
        # In an ensemble the other session may be on another server: catch it up first.
        other.sync(root + "/private")
        out = {
            "owner_reads": zk.get(root + "/private")[0].decode(),
            "stranger_reads": err_name(lambda: other.get(root + "/private")),
            "stranger_writes": err_name(lambda: other.set(root + "/private", b"x")),
        }
        other.add_auth("digest", "alice:secret")
        out["after_auth"] = other.get(root + "/private")[0].decode()
        acl_list, stat = zk.get_acls(root + "/private")
        out["acl"] = [[a.id.scheme, a.id.id, a.perms] for a in acl_list]
        out["aversion"] = stat.aversion
        return out
    finally:
        other.stop()
        other.close()
        zk.stop()
        zk.close()


def lock(root):
    a = client()
    b = client()
    try:
        la = Lock(a, root + "/lock", "a")
        lb = Lock(b, root + "/lock", "b")
        got_a = la.acquire(timeout=WAIT)
        contenders = la.contenders()
        try:
            got_b_while_held = lb.acquire(timeout=0.5)
        except Exception as e:  # noqa: BLE001 - kazoo raises LockTimeout
            got_b_while_held = type(e).__name__
        la.release()
        got_b = lb.acquire(timeout=WAIT)
        lb.release()
        return {"a": got_a, "contenders": contenders, "b_while_held": got_b_while_held, "b_after": got_b}
    finally:
        a.stop()
        a.close()
        b.stop()
        b.close()


def election(root):
    a = client()
    b = client()
    try:
        leaders = []
        leading = threading.Event()
        release = threading.Event()

        def lead_a():
            leaders.append("a")
            leading.set()
            release.wait(WAIT)

        ea = Election(a, root + "/election", "a")
        eb = Election(b, root + "/election", "b")
        ta = threading.Thread(target=ea.run, args=(lead_a,), daemon=True)
        ta.start()
        leading.wait(WAIT)
        tb = threading.Thread(target=eb.run, args=(lambda: leaders.append("b"),), daemon=True)
        tb.start()
        wait_until(lambda: len(ea.contenders()) == 2)
        contenders = ea.contenders()
        release.set()
        ta.join(WAIT)
        tb.join(WAIT)
        return {"leaders": leaders, "contenders": contenders}
    finally:
        a.stop()
        a.close()
        b.stop()
        b.close()


def counter(root):
    a = client()
    b = client()
    try:
        ca = Counter(a, root + "/counter")
        cb = Counter(b, root + "/counter")
        ca += 5
        cb += 3
        ca -= 2
        return {"value": Counter(a, root + "/counter").value}
    finally:
        a.stop()
        a.close()
        b.stop()
        b.close()


def barrier(root):
    a = client()
    b = client()
    try:
        ba = Barrier(a, root + "/barrier")
        bb = Barrier(b, root + "/barrier")
        ba.create()
        blocked = bb.wait(timeout=0.5)
        result = {}
        t = threading.Thread(target=lambda: result.setdefault("waited", bb.wait(timeout=WAIT)), daemon=True)
        t.start()
        time.sleep(0.2)
        ba.remove()
        t.join(WAIT + 1)
        return {"blocked_while_up": blocked, "released": result.get("waited")}
    finally:
        a.stop()
        a.close()
        b.stop()
        b.close()


def queue(root):
    a = client()
    b = client()
    try:
        qa = Queue(a, root + "/queue")
        qb = Queue(b, root + "/queue")
        for item in [b"one", b"two", b"three"]:
            qa.put(item)
        qa.put(b"urgent", priority=10)
        got = [qb.get().decode() for _ in range(4)]
        empty = qb.get() is None
        a.sync(root + "/queue")
        return {"order": got, "empty": empty, "len": len(qa)}
    finally:
        a.stop()
        a.close()
        b.stop()
        b.close()


def tree_cache(root):
    zk = client()
    other = client()
    try:
        zk.ensure_path(root + "/tree/a")
        events = []
        cache = TreeCache(zk, root + "/tree")
        cache.listen(lambda ev: events.append([ev.event_type, ev.event_data.path[len(root):] if ev.event_data else None]))
        cache.start()
        wait_until(lambda: any(e[0] == TreeEvent.INITIALIZED for e in events))
        other.create(root + "/tree/b", b"bee")
        other.create(root + "/tree/a/deep", b"d")
        wait_until(lambda: cache.get_data(root + "/tree/a/deep") is not None)
        other.set(root + "/tree/b", b"bee2")
        wait_until(lambda: cache.get_data(root + "/tree/b") is not None and cache.get_data(root + "/tree/b").data == b"bee2")
        other.delete(root + "/tree/a/deep")
        wait_until(lambda: cache.get_data(root + "/tree/a/deep") is None and any(e[0] == TreeEvent.NODE_REMOVED for e in events))
        snapshot = {
            "children": sorted(cache.get_children(root + "/tree") or []),
            "b": cache.get_data(root + "/tree/b").data.decode(),
        }
        cache.close()
        names = {TreeEvent.NODE_ADDED: "added", TreeEvent.NODE_UPDATED: "updated", TreeEvent.NODE_REMOVED: "removed", TreeEvent.INITIALIZED: "initialized"}
        return {"events": [[names.get(t, str(t)), p] for t, p in events], "snapshot": snapshot}
    finally:
        other.stop()
        other.close()
        zk.stop()
        zk.close()


SCENARIOS = {
    "crud": crud,
    "watches": watches,
    "transactions": transactions,
    "acls": acls,
    "lock": lock,
    "election": election,
    "counter": counter,
    "barrier": barrier,
    "queue": queue,
    "tree_cache": tree_cache,
}


def main():
    names = sys.argv[2:] or list(SCENARIOS)
    results = {}
    base = "/kazoo-" + uuid.uuid4().hex[:8]
    for name in names:
        try:
            results[name] = {"ok": True, "result": SCENARIOS[name](base + "/" + name)}
        except Exception as e:  # noqa: BLE001 - reported to the test
            results[name] = {"ok": False, "error": "%s: %s" % (type(e).__name__, e), "trace": traceback.format_exc()}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
