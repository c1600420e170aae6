"""The writes `ketsugo serve --writable` applies itself (ketsugo.sparql.frontwrites), on an
in-memory store: each Graph Store verb and SPARQL Update as the protocols define them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from ketsugo.sparql import frontwrites
from tests import local_http

BASE = "http://127.0.0.1:7000"
G = ox.NamedNode("urn:x:g")
TRIPLE = b"<urn:x:a> <urn:x:p> <urn:x:b> .\n"


def _store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"), G))
    return store


def test_which_requests_are_writes() -> None:
    assert frontwrites.is_write("POST", "/update")
    assert frontwrites.is_write("PUT", "/store?graph=urn%3Ax%3Ag")
    assert frontwrites.is_write("DELETE", "/store?default")
    assert not frontwrites.is_write("GET", "/store?graph=urn%3Ax%3Ag")
    assert not frontwrites.is_write("POST", "/query")


def test_put_replaces_a_graph_and_post_adds_to_it() -> None:
    store = _store()
    answer = frontwrites.apply(
        store, "PUT", "/store?graph=urn%3Ax%3Ag", "application/n-triples", TRIPLE, BASE
    )
    assert answer.status == 204  # the graph was there
    assert [q.object.value for q in store.quads_for_pattern(None, None, None, G)] == ["urn:x:b"]
    more = b"<urn:x:a> <urn:x:p> <urn:x:c> .\n"
    assert (
        frontwrites.apply(store, "POST", "/store?graph=urn%3Ax%3Ag", "text/turtle", more, BASE).status == 204
    )
    assert len(store) == 2
    new = frontwrites.apply(store, "PUT", "/store?graph=urn%3Ax%3Anew", "application/n-triples", TRIPLE, BASE)
    assert new.status == 201 and len(store) == 3


def test_a_bad_body_or_type_changes_nothing() -> None:
    store = _store()
    bad = frontwrites.apply(store, "PUT", "/store?graph=urn%3Ax%3Ag", "text/turtle", b"<urn:x:a> <", BASE)
    assert bad.status == 400 and len(store) == 1
    assert (
        frontwrites.apply(store, "PUT", "/store?graph=urn%3Ax%3Ag", "image/png", TRIPLE, BASE).status == 415
    )
    whole = frontwrites.apply(store, "PUT", "/store", "application/n-triples", TRIPLE, BASE)
    assert whole.status == 415 and len(store) == 1


def test_delete_and_a_dataset_post() -> None:
    store = _store()
    assert frontwrites.apply(store, "DELETE", "/store?graph=urn%3Ax%3Anone", "", b"", BASE).status == 404
    assert frontwrites.apply(store, "DELETE", "/store?graph=urn%3Ax%3Ag", "", b"", BASE).status == 204
    assert len(store) == 0 and not store.contains_named_graph(G)
    quads = b"<urn:x:a> <urn:x:p> <urn:x:b> <urn:x:h> .\n"
    assert (
        frontwrites.apply(store, "POST", "/store?no_transaction", "application/n-quads", quads, BASE).status
        == 204
    )
    assert store.contains_named_graph(ox.NamedNode("urn:x:h"))
    created = frontwrites.apply(store, "POST", "/store", "application/n-triples", TRIPLE, BASE)
    assert created.status == 201 and created.headers["Location"].startswith(BASE + "/store/")


def test_sparql_update_by_body_or_form() -> None:
    store = _store()
    drop = frontwrites.apply(
        store, "POST", "/update", "application/sparql-update", b"DROP GRAPH <urn:x:g>", BASE
    )
    assert drop.status == 204 and len(store) == 0
    form = b"update=INSERT%20DATA%20%7B%20%3Curn%3Ax%3Aa%3E%20%3Curn%3Ax%3Ap%3E%20%3Curn%3Ax%3Ab%3E%20%7D"
    assert (
        frontwrites.apply(store, "POST", "/update", "application/x-www-form-urlencoded", form, BASE).status
        == 204
    )
    assert len(store) == 1
    assert (
        frontwrites.apply(
            store, "POST", "/update", "application/sparql-update", b"DROP NONSENSE", BASE
        ).status
        == 400
    )
    using = b"update=CLEAR%20ALL&using-graph-uri=urn%3Ax%3Ag"
    assert (
        frontwrites.apply(store, "POST", "/update", "application/x-www-form-urlencoded", using, BASE).status
        == 400
    )
    assert len(store) == 1


def _canonical(quads: object) -> set[str]:
    """The quads with blank nodes named canonically (RDFC-1.0), as N-Quads lines."""
    dataset = ox.Dataset(quads)  # type: ignore[arg-type]
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def test_an_upload_lands_as_the_protocol_says() -> None:
    """Relative IRIs resolved against the Graph Store URL, blank nodes, literals; a graph target
    takes the triples, a dataset body keeps its graphs. Expected quads written by hand."""
    turtle = ('@prefix ex: <urn:x:> .\n<item/1> ex:name "一"@ja ; ex:part [ ex:n 1 ] .\n').encode()
    store = ox.Store()
    assert (
        frontwrites.apply(store, "POST", "/store?graph=urn%3Ax%3Ag", "text/turtle", turtle, BASE).status
        == 201
    )
    xsd_integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    expected = (
        f'<{BASE}/item/1> <urn:x:name> "一"@ja <urn:x:g> .\n'
        f"<{BASE}/item/1> <urn:x:part> _:b <urn:x:g> .\n"
        f'_:b <urn:x:n> "1"^^{xsd_integer} <urn:x:g> .\n'
    )
    assert _canonical(store) == _canonical(ox.parse(expected.encode(), format=ox.RdfFormat.N_QUADS))
    trig = b"<urn:x:a> <urn:x:p> <urn:x:b> . <urn:x:h> { <urn:x:a> <urn:x:p> <urn:x:c> }"
    assert frontwrites.apply(store, "POST", "/store", "application/trig", trig, BASE).status == 204
    assert ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:b")) in store
    assert store.contains_named_graph(ox.NamedNode("urn:x:h")) and len(store) == 5


def test_a_body_bad_at_its_end_writes_nothing() -> None:
    """A POST is loaded in one transaction, a PUT read through before the graph is cleared: a body
    whose last line is wrong leaves the store as it was, and creates no graph."""
    body = TRIPLE * 100 + b"<urn:x:a> <urn:x:p> oops .\n"
    store = _store()
    for method, graph in (("POST", "urn%3Ax%3Ag"), ("PUT", "urn%3Ax%3Ag"), ("POST", "urn%3Ax%3Anew")):
        answer = frontwrites.apply(
            store, method, f"/store?graph={graph}", "application/n-triples", body, BASE
        )
        assert answer.status == 400 and "line 101" in answer.text, answer
        assert [str(q) for q in store] == ["<urn:x:a> <urn:x:p> <urn:x:o> <urn:x:g>"]
        assert list(store.named_graphs()) == [G]


def test_an_upload_is_not_made_into_python_objects() -> None:
    """pyoxigraph loads the body's bytes itself. Before: every quad became Python objects first,
    several times the body's size (the Python heap's peak is measured, not time)."""
    import tracemalloc

    body = b"".join(b'<urn:x:s%d> <urn:x:p> "value %d" .\n' % (i, i) for i in range(20000))
    store = ox.Store()
    tracemalloc.start()
    try:
        answer = frontwrites.apply(
            store, "POST", "/store?graph=urn%3Ax%3Ag", "application/n-triples", body, BASE
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status == 201 and len(store) == 20000
    assert peak < len(body) / 4, (peak, len(body))


@pytest.mark.loopback
def test_writes_and_reads_at_once_through_the_front_door(tmp_path: Path) -> None:
    """Writers and readers at the same time: each write is applied once, no request hangs, and
    every read answers from a store Oxigraph has open (it is stopped while ketsugo writes)."""
    import threading
    import urllib.request

    from ketsugo.sparql import gate, server

    location = tmp_path / "store"
    seed = ox.Store(str(location))
    seed.add(ox.Quad(ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.NamedNode("urn:x:o"), G))
    seed.flush()
    del seed
    backend = gate.Backend(location, writable=True, timeout=30, max_memory_mb=0)
    backend.start()
    front = gate.Front(server.free_port(), backend)
    serving = threading.Thread(target=front.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    serving.start()
    url = server.base_url(front.server_address[1])
    failures: list[str] = []

    def write(worker: int) -> None:
        for n in range(5):
            request = urllib.request.Request(
                f"{url}/store?graph=urn%3Ax%3Aw{worker}n{n}",
                data=TRIPLE,
                headers={"Content-Type": "application/n-triples"},
                method="PUT",
            )
            with local_http.urlopen(request, timeout=60) as response:
                if response.status != 201:
                    failures.append(f"PUT {worker}/{n}: {response.status}")

    def read() -> None:
        for _ in range(5):
            with local_http.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=60) as response:
                if response.status != 200:
                    failures.append(f"ASK: {response.status}")

    try:
        workers = [threading.Thread(target=write, args=(w,)) for w in range(3)]
        workers += [threading.Thread(target=read) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        assert not any(w.is_alive() for w in workers) and failures == []
        query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        request = urllib.request.Request(
            f"{url}/query?query={urllib.parse.quote(query)}", headers={"Accept": "text/csv"}
        )
        with local_http.urlopen(request, timeout=60) as response:
            assert int(response.read().decode().split()[-1]) == 1 + 15
    finally:
        front.shutdown()
        front.server_close()
        backend.close()


def test_an_update_that_would_fetch_over_the_network_is_refused() -> None:
    """LOAD makes the engine fetch a document (pyoxigraph's update does, over HTTP): ketsugo never
    reaches out, so the front door refuses it before the store sees it — a listener on this machine
    shows that nothing was asked for (it hangs up on whoever calls, so a LOAD let through fails fast)."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    calls: list[object] = []

    def answer_calls() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # closed: the test is over
            calls.append(connection)
            connection.close()

    threading.Thread(target=answer_calls, daemon=True).start()
    store = _store()
    try:
        for text in (
            f"LOAD <http://127.0.0.1:{port}/data.ttl>",
            f"load silent <http://127.0.0.1:{port}/x> INTO GRAPH <urn:x:g>",
            f"INSERT DATA {{ <urn:x:a> <urn:x:p> <urn:x:c> }} ;\n# a comment\nLOAD <http://127.0.0.1:{port}/y>",
        ):
            answer = frontwrites.apply(
                store, "POST", "/update", "application/sparql-update", text.encode(), BASE
            )
            assert (answer.status, "LOAD" in answer.text) == (403, True)
    finally:
        listener.close()
    assert calls == [] and len(store) == 1  # nothing fetched, nothing written
    # the word alone (in a literal, an IRI or a variable) is no LOAD
    fine = 'INSERT DATA { <urn:x:LOAD> <urn:x:p> "LOAD it" }'
    assert (
        frontwrites.apply(store, "POST", "/update", "application/sparql-update", fine.encode(), BASE).status
        == 204
    )
