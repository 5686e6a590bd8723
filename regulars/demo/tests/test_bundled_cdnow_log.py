"""The CDNOW log ships inside the package, compressed, with its attribution beside it."""

from regulars.demo.dataset import DATA_FILE, last_day, load_histories


def test_the_bundled_log_holds_every_cdnow_customer_and_purchase_day():
    histories = load_histories()

    assert DATA_FILE.suffix == ".gz"
    assert len(histories) == 23_570
    assert sum(len(history.purchases) for history in histories) == 67_591  # customer-days
    assert str(last_day(histories)) == "1998-06-30"
    assert sum(p.cds for h in histories for p in h.purchases) == 167_881
    assert sum(p.cents for h in histories for p in h.purchases) == 250_031_563


def test_the_attribution_travels_with_the_data():
    readme = (DATA_FILE.parent / "README.md").read_text()

    assert "Counting Your Customers the Easy Way" in readme
    assert "Marketing Science" in readme
    assert "lifetimes" in readme
    assert "Copyright (c) 2015, Cameron Davidson-Pilon" in readme
