"""A small people registry in the Popolo shape of fixtures/registry/ (REGISTRY-FORMAT), for tests
that must not depend on the shipped registry's contents."""

SOURCE = [{"url": "https://example.org/office-holders"}]


def membership(person, post, org, start, end="", role="", acting=False):
    row = {"id": f"{person}--{post}--{start}", "person_id": person, "post_id": post, "organization_id": org,
           "start_date": start, "sources": SOURCE}  # fmt: skip
    if end:
        row["end_date"] = end
    if role:
        row["role"] = role
    if acting:
        row["acting"] = True
    return row


SMALL_REGISTRY = {
    "meta": {"title": "test registry"},
    "organizations": [
        {"id": "us-government", "name": "Government of the United States", "classification": "government"},
        {"id": "us-department-of-state", "name": "U.S. Department of State", "classification": "ministry",
         "parent_id": "us-government", "other_names": [{"name": "State Department"}]},
        {"id": "us-white-house", "name": "The White House", "classification": "executive office",
         "parent_id": "us-government"},
        {"id": "kr-government", "name": "Government of South Korea", "classification": "government"},
        {"id": "kr-ministry-of-foreign-affairs", "name": "Ministry of Foreign Affairs (South Korea)",
         "classification": "ministry", "parent_id": "kr-government"},
        {"id": "un", "name": "United Nations", "classification": "international organization"},
    ],
    "posts": [
        {"id": "us-president", "organization_id": "us-government", "label": "President of the United States",
         "role": "President", "other_labels": [{"name": "The President"}]},
        {"id": "us-vice-president", "organization_id": "us-government",
         "label": "Vice President of the United States", "role": "Vice President"},
        {"id": "us-secretary-of-state", "organization_id": "us-department-of-state", "label": "Secretary of State",
         "role": "Secretary", "other_labels": [{"name": "The Secretary"}, {"name": "Secretary of State"}]},
        {"id": "us-state-department-spokesperson", "organization_id": "us-department-of-state",
         "label": "Spokesperson for the U.S. Department of State", "role": "Spokesperson"},
        {"id": "us-white-house-press-secretary", "organization_id": "us-white-house",
         "label": "White House Press Secretary", "role": "Press Secretary"},
        {"id": "kr-foreign-minister", "organization_id": "kr-ministry-of-foreign-affairs",
         "label": "Minister of Foreign Affairs of South Korea", "role": "Foreign Minister"},
        {"id": "un-secretary-general", "organization_id": "un", "label": "Secretary-General of the United Nations",
         "role": "Secretary-General"},
    ],
    "persons": [
        {"id": "barack-obama", "name": "Barack Obama", "given_name": "Barack", "family_name": "Obama",
         "other_names": [{"name": "Barack H. Obama"}]},
        {"id": "donald-trump", "name": "Donald Trump", "given_name": "Donald", "family_name": "Trump"},
        {"id": "joe-biden", "name": "Joe Biden", "given_name": "Joe", "family_name": "Biden",
         "other_names": [{"name": "Joseph R. Biden Jr."}]},
        {"id": "antony-blinken", "name": "Antony Blinken", "given_name": "Antony", "family_name": "Blinken",
         "other_names": [{"name": "Antony J. Blinken"}]},
        {"id": "ned-price", "name": "Ned Price", "given_name": "Ned", "family_name": "Price"},
        {"id": "jen-psaki", "name": "Jen Psaki", "given_name": "Jen", "family_name": "Psaki",
         "other_names": [{"name": "Jennifer Psaki"}]},
        {"id": "robert-gibbs", "name": "Robert Gibbs", "given_name": "Robert", "family_name": "Gibbs"},
        {"id": "park-jin", "name": "Park Jin", "given_name": "Jin", "family_name": "Park"},
    ],
    "memberships": [
        membership("barack-obama", "us-president", "us-government", "2009-01-20", "2017-01-20"),
        membership("donald-trump", "us-president", "us-government", "2017-01-20", "2021-01-20"),
        membership("joe-biden", "us-president", "us-government", "2021-01-20", "2025-01-20"),
        membership("joe-biden", "us-vice-president", "us-government", "2009-01-20", "2017-01-20"),
        membership("antony-blinken", "us-secretary-of-state", "us-department-of-state", "2021-01-26", "2025-01-20"),
        membership("ned-price", "us-state-department-spokesperson", "us-department-of-state", "2021-01", "2023-06"),
        membership("jen-psaki", "us-state-department-spokesperson", "us-department-of-state", "2013-02-11",
                   "2015-03-31"),
        membership("jen-psaki", "us-white-house-press-secretary", "us-white-house", "2021-01-20", "2022-05-13"),
        membership("robert-gibbs", "us-white-house-press-secretary", "us-white-house", "2009-01-20", "2011-02-11"),
        membership("park-jin", "kr-foreign-minister", "kr-ministry-of-foreign-affairs", "2022-05-12",
                   "2024-01-10"),
    ],
}  # fmt: skip
