"""The demo organisation gets customers, a few in the pool, contacts and opportunities."""

from __future__ import annotations

from fieldline.demo import create_demo
from server.geo import distance_m
from server.models.customers import Contact, Customer, Opportunity

CITY_CENTRES = [(31.2304, 121.4737), (23.1291, 113.2644), (39.9042, 116.4074)]


async def test_demo_customers_are_plausible(app) -> None:
    await create_demo()
    customers = await Customer.all()
    assert len(customers) == 40
    assert 0 < sum(c.in_pool for c in customers) < 10
    assert len({c.owner_id for c in customers if not c.in_pool}) == 8
    assert len({c.name_key for c in customers}) == 40  # none would be refused as a duplicate
    for customer in customers:
        assert min(distance_m(customer.lat, customer.lng, lat, lng) for lat, lng in CITY_CENTRES) < 25_000
    assert await Contact.filter(customer_id__in=[c.id for c in customers]).count() >= 40
    assert await Opportunity.all().count() > 5
