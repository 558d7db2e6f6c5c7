#!/usr/bin/env python3
"""Generate the CSV, JSON-array, HTML, WARC and gzipped JSON Lines parts of the sample corpus.

Usage::

    .venv/bin/python scripts/make_sample_formats.py            # writes under data/sample_corpus
    .venv/bin/python scripts/make_sample_formats.py --out DIR  # writes under DIR instead

It writes (and overwrites) exactly these files, nothing else::

    vendor_c/dt=2024-04-08/export.csv            CSV export, 6 rows (1 bad)
    vendor_d/dt=2024-04-16/articles.json         JSON array, 6 items (1 bad)
    html/dt=2024-04-24/<slug>.html               5 HTML pages (1 without article text)
    warc/dt=2024-05-06/crawl.warc.gz             gzipped WARC, 5 responses (1 image/jpeg)
    vendor_e/dt=2024-03-26/articles.jsonl.gz     gzipped JSON Lines, 4 records (1 German, 1 dated 1970)

The output is deterministic: running the script twice gives byte-identical files (gzip
headers carry mtime 0, WARC record ids are UUID5s of fixed names and WARC dates are fixed).
Only the standard library and warcio are needed.

All article text below is invented for this project: the companies are real, but the events,
figures, quotes, analysts, start-ups and outlets are made up (or loosely based on public events)
and must not be treated as factual reporting. Outlet domains use the reserved ``.example`` TLD.
See data/sample_corpus/README.md for what each file holds and which records are deliberately bad.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import io
import json
import uuid
from pathlib import Path
from typing import Dict, List
from urllib.parse import quote

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "sample_corpus"


def paras(text: str) -> List[str]:
    """Paragraphs of a triple-quoted block: blank-line separated, inner line breaks joined."""
    blocks = [b.strip() for b in text.strip().split("\n\n")]
    return [" ".join(line.strip() for line in b.splitlines()) for b in blocks if b]


# ---------------------------------------------------------------------------------------------
# vendor_c: CSV export, published "YYYY-MM-DD HH:MM:SS" without a zone (UTC)
# ---------------------------------------------------------------------------------------------

VENDOR_C_DUMP = "2024-04-08"

VENDOR_C = [
    {
        "title": "Sony faces gamer backlash over PlayStation Plus price rise",
        "body": paras("""
            Sony is facing an angry response from players after it said it would raise the price of
            its PlayStation Plus subscription service by up to 30% in Europe, the U.K. and Japan from
            next month.

            The 12-month "Essential" plan will rise to €79.99 in the euro zone, from €71.99, while the
            top "Premium" tier will cost £119.99 a year in Britain. It is the second increase in less
            than a year.

            Thousands of users posted complaints on social media over the weekend, and a petition
            calling on Sony to reverse the move had gathered more than 120,000 signatures by Sunday.

            "People are already paying $70 for a new game, and now the subscription goes up again,"
            said Daniel Okafor, a games analyst at Brightwater Media Research. "Sony risks pushing
            casual players towards cheaper services."

            The Japanese company said higher development costs and a growing catalogue of titles
            justified the increase. Its games division, which makes the PlayStation 5, has been under
            pressure after console sales fell short of targets, and Sony cut about 900 jobs in the
            unit in February.

            Analysts at Kanda Securities in Tokyo said the price rise could add about ¥25bn to annual
            revenue, but warned that subscriber numbers, which have stalled at around 47 million,
            could now fall.
        """),
        "url": "https://www.pacrimledger.example/tech/2024/04/07/sony-playstation-plus-price-rise-backlash",
        "published": "2024-04-07 09:30:00",
        "source": "Pacific Rim Ledger",
    },
    {
        "title": "Siemens agrees $1.1bn deal for U.S. simulation software maker",
        "body": paras("""
            Siemens has agreed to buy Corvena Systems, a privately held U.S. maker of engineering
            simulation software, for about $1.1bn, the German industrial group said on Sunday.

            The deal, which still needs regulatory approval, will add Corvena's tools for testing
            electronics and batteries to Siemens' Xcelerator digital platform. Corvena, based in Ann
            Arbor, Michigan, employs about 650 people and had revenue of $140mn last year.

            Siemens has spent more than $15bn on software acquisitions over the past decade as it
            tries to reduce its reliance on hardware such as factory controllers, trains and
            switchgear. Software now accounts for roughly a fifth of sales at its Digital Industries
            division.

            "It's a tidy bolt-on, neither cheap nor expensive," said Jonas Albrecht, an analyst at
            Isarbrücke Capital in Munich. "It won't move the needle for Siemens' earnings this year,
            but it fills a gap in the portfolio."

            Siemens said the purchase would be paid for from cash and would not affect its share
            buyback programme. The transaction is expected to close in the third quarter of the
            company's fiscal year.
        """),
        "url": "https://www.northgatereview.example/industry/siemens-buys-corvena-simulation-software",
        "published": "2024-04-07 17:45:00",
        "source": "Northgate Business Review",
    },
    {
        "title": "BP starts oil production at Gulf of Mexico platform months ahead of schedule",
        "body": paras("""
            BP said on Monday it had started pumping oil from its new Argos West expansion in the U.S.
            Gulf of Mexico, four months ahead of schedule and under budget, in a boost for chief
            executive Murray Auchincloss.

            The project, which links eight new wells to the existing Argos platform, is expected to
            add 25,000 barrels of oil equivalent a day at its peak, lifting the platform's total
            capacity to about 165,000 barrels a day.

            "Delivering early and on cost is exactly what shareholders want to see from BP," said
            Fiona Grant, an energy analyst at Thistle Bank Securities in Edinburgh. "It supports the
            dividend and shows the upstream business is in good shape."

            BP has promised to grow oil and gas output from the Gulf of Mexico to around 400,000
            barrels a day by the end of the decade. The London-based company said the project's
            break-even price was below $35 a barrel.

            Shares in BP rose 1.6% in early London trading, helped also by higher crude prices. Brent
            crude traded at about $91 a barrel, near a five-month high.
        """),
        "url": "https://www.northgatereview.example/energy/bp-argos-west-starts-early",
        "published": "2024-04-08 06:15:00",
        "source": "Northgate Business Review",
    },
    {
        "title": "Toyota halts two Japanese assembly plants after fire at parts supplier",
        "body": paras("""
            Toyota Motor suspended production at two of its assembly plants in Japan on Monday after a
            fire at a supplier's factory cut off deliveries of brake parts, the latest in a string of
            disruptions for the world's biggest carmaker.

            The stoppage at the Tsutsumi and Takaoka plants in Aichi prefecture will affect output of
            about 9,000 vehicles, including the Prius and the RAV4, a company spokesperson said. It was
            not yet clear when production would resume.

            The fire broke out on Saturday night at a factory run by Hoshino Brake Industries, a
            long-standing supplier. No one was injured, but fire officials said the main production
            line had been badly damaged.

            "Toyota's just-in-time system is very efficient until something goes wrong, and this year
            a lot has gone wrong," said Kenji Morimoto, an auto analyst at Shirogane Securities in
            Tokyo. Production was already disrupted earlier this year by a safety-test scandal at the
            group's Daihatsu unit.

            Toyota shares fell 2.3% in Tokyo, while the broader Nikkei index was little changed. The
            Japanese automaker said it was looking for alternative suppliers and would try to make up
            the lost output with extra shifts in May.
        """),
        "url": "https://www.pacrimledger.example/autos/2024/04/08/toyota-halts-plants-supplier-fire",
        "published": "2024-04-08 10:50:00",
        "source": "Pacific Rim Ledger",
    },
    {
        "title": "Microsoft to sell Teams separately from Office worldwide",
        "body": paras("""
            Microsoft will start selling its Teams chat and video-calling app separately from its
            Office software worldwide, extending a change it made in Europe last year to head off an
            antitrust investigation.

            New business customers around the world will be able to buy Microsoft 365 and Office 365
            suites without Teams at a lower price, the company said on Monday. Existing customers can
            keep their current subscriptions or switch.

            "This is about giving customers clarity and choice," a Microsoft spokesperson said. The
            company said the change would also address concerns raised by the European Commission,
            which has been investigating a complaint filed by the rival messaging service Slack in
            2020.

            Analysts said the move was unlikely to have a big effect on Microsoft's revenue. "Teams is
            so embedded in how companies work that few customers will drop it," said Priya Raman, a
            software analyst at Fenwick Lane Research.

            Microsoft shares were flat in New York. The company reports third-quarter results later
            this month.
        """),
        "url": "https://www.northgatereview.example/tech/microsoft-teams-unbundled-worldwide",
        "published": "2024-04-08 13:20:00",
        "source": "Northgate Business Review",
    },
]

# Row 3 of the export: written without quoting, so the commas in its body split it into more
# cells than the header has columns (quarantined as unparseable_csv).
VENDOR_C_BAD_ROW = (
    "Shell weighs sale of Singapore refinery stake,"
    "Shell is in talks to sell its stake in a Singapore refinery, according to two people familiar "
    "with the matter, who said a deal could be announced within weeks, valuing the business at about $1bn.,"
    "https://www.northgatereview.example/energy/shell-singapore-refinery-stake-sale,"
    "2024-04-08 05:30:00,"
    "Northgate Business Review"
)
VENDOR_C_BAD_INDEX = 2  # 0-based position among the data rows, i.e. row 3


def make_vendor_c(out: Path) -> None:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(["title", "body", "url", "published", "source"])
    for index, art in enumerate(VENDOR_C):
        if index == VENDOR_C_BAD_INDEX:
            buf.write(VENDOR_C_BAD_ROW + "\r\n")
        writer.writerow([art["title"], "\n\n".join(art["body"]), art["url"], art["published"], art["source"]])
    write_bytes(out / "vendor_c" / f"dt={VENDOR_C_DUMP}" / "export.csv", buf.getvalue().encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# vendor_d: JSON array, "Month D, YYYY H:MM AM/PM ZONE" dates
# ---------------------------------------------------------------------------------------------

VENDOR_D_DUMP = "2024-04-16"

VENDOR_D = [
    {
        "headline": "Shell signs 20-year LNG supply deal with Chinese gas distributor",
        "text": paras("""
            Shell has agreed to supply liquefied natural gas to Huadong Gas Holdings, one of China's
            largest city-gas distributors, for 20 years, in one of the biggest long-term LNG contracts
            signed so far this year.

            Under the agreement, Shell will deliver up to 2 million tonnes a year from 2027, drawing on
            its global portfolio, including new production in Qatar and Canada, the company said on
            Sunday.

            "Long-term contracts like this give us the confidence to keep investing in new supply,"
            a Shell executive said at a signing ceremony in Shanghai.

            The deal strengthens Shell's position as the world's biggest LNG trader at a time when
            Chinese buyers are locking in supplies to replace coal in power generation and industry.
            Analysts said the price, which is linked to Brent crude, was likely to be attractive for
            the London-listed company.

            "This is a strong result for Shell's gas business, which is where most of its profit
            growth is coming from," said Marcus Bell, an energy analyst at Stonegate Research in
            London.

            Shares in Shell (LSE: SHEL) have risen about 9% this year, outperforming most of their
            European rivals.
        """),
        "link": "https://www.baylinemarkets.example/energy/shell-20-year-lng-deal-china",
        "date": "April 14, 2024 9:15 AM EDT",
        "publisher": "Bayline Markets Daily",
    },
    {
        "headline": "HSBC customers locked out of mobile banking in weekend outage",
        "text": paras("""
            Hundreds of thousands of HSBC customers in Britain were unable to log in to mobile and
            online banking for most of Sunday, the latest in a series of technology failures at the
            lender.

            The outage began shortly after 8 a.m. and was not fully fixed until late afternoon,
            according to the bank. At its peak, more than 9,000 users reported problems on the
            tracking site Downwatch, with many saying card payments had also been declined in shops.

            "We're really sorry for the inconvenience," HSBC UK said on social media. "Our teams
            worked hard to restore services, and no customer data was affected."

            It was the fourth significant outage at HSBC's British retail bank in a year. In January,
            its app went down on one of the busiest paydays of the year, leaving customers unable to
            pay bills.

            "Regulators are running out of patience with repeated IT failures at the big banks," said
            Laura Pennington, a banking analyst at Ashcombe Partners. "HSBC could face a fine if this
            keeps happening."

            A committee of MPs has asked lenders to report how many hours of outages they have
            suffered since 2023. HSBC said it would refund customers who were charged fees because of
            the disruption.
        """),
        "link": "https://www.eastbridgeherald.example/business/hsbc-app-outage-sunday",
        "date": "April 14, 2024 6:40 PM BST",
        "publisher": "The Eastbridge Herald",
    },
    {
        "headline": "Samsung to invest $4bn in Vietnam OLED display plant",
        "text": paras("""
            Samsung Display, a unit of Samsung Electronics, will invest $4bn in a new factory in
            northern Vietnam to make organic light-emitting diode screens for laptops and cars, the
            company said on Monday, its biggest overseas investment in displays to date.

            The plant in Bac Ninh province, close to Samsung's existing smartphone factories, is
            expected to start mass production in 2026 and employ about 5,000 people.

            "Vietnam has become the heart of Samsung's global supply chain," said Choi Ji-won, an
            analyst at Hanbit Investment in Seoul. "Demand for OLED screens in notebooks is set to
            triple over the next three years, and Samsung wants to be ready."

            Samsung Electronics is the largest foreign investor in Vietnam, where it makes about half
            of its Galaxy smartphones. The South Korean company has invested more than $22bn in the
            country since 2008.

            The investment is also good news for Apple, which is expected to start using OLED screens
            in MacBook laptops from 2026. Samsung Display already supplies screens for iPhones.

            Shares in Samsung Electronics rose 1.4% in Seoul.
        """),
        "link": "https://www.baylinemarkets.example/tech/samsung-vietnam-oled-plant",
        "date": "April 15, 2024 2:30 PM KST",
        "publisher": "Bayline Markets Daily",
    },
    {
        "headline": "Nestlé criticised over added sugar in baby cereals sold in poorer countries",
        "text": paras("""
            Nestlé is facing criticism after a report by campaign groups found that some of its baby
            cereals and milk drinks sold in Africa, Asia and Latin America contain added sugar, while
            the same products sold in Switzerland and other European markets do not.

            The report, by the Geneva-based Fair Plate Alliance, tested 115 products and found that
            Cerelac cereals sold in India and Brazil contained on average nearly 3 grams of added
            sugar per serving.

            "Nestlé must explain why what is considered unhealthy for a Swiss baby is acceptable for a
            baby in Nigeria," said Amélie Roux, a spokeswoman for the group.

            Nestlé said it had cut added sugars in its infant cereals by 11% worldwide over the past
            decade and would continue to reduce them "without compromising quality, safety and
            taste". The company said all of its products complied with local rules.

            Health experts said the findings were worrying because sugar at an early age can create
            lifelong habits and raise the risk of obesity. Consumer groups in India called on the
            government to investigate.

            Shares in the Swiss food group fell 1.5% in Zurich, one of the worst performances in
            Europe's food sector.
        """),
        "link": "https://www.eastbridgeherald.example/business/nestle-sugar-baby-cereals-report",
        "date": "April 15, 2024 9:05 AM CEST",
        "publisher": "The Eastbridge Herald",
    },
    {
        "headline": "BYD’s Seagull takes off in Latin America with 10,000 orders in a week",
        "text": paras("""
            BYD said on Monday it had received more than 10,000 orders in a week for its Seagull small
            electric car in Latin America, a strong start for the Chinese automaker’s push into a
            region where EVs are still rare.

            The hatchback, sold as the Dolphin Mini in Brazil, Mexico and Chile, costs about 99,800
            reais ($19,500) in Brazil, less than many petrol cars of the same size.

            “BYD has found the sweet spot on price,” said Rafael Mendes, an autos analyst at Ipiranga
            Capital in São Paulo. “Nobody else can sell an electric car this cheap in Brazil and still
            make money.”

            BYD is building a factory in Camaçari, in Brazil’s Bahia state, which is due to start
            production late this year and will let the company avoid rising import tariffs. It is
            also looking for a site for a plant in Mexico.

            Tesla, which sells only imported cars in Mexico and does not sell in Brazil at all, has
            struggled to compete at the lower end of the market.

            BYD’s Hong Kong-listed shares rose 3.2% to HK$210.40.
        """),
        "link": "https://www.baylinemarkets.example/autos/byd-seagull-latin-america-orders",
        "date": "April 15, 2024 6:45 PM HKT",
        "publisher": "Bayline Markets Daily",
    },
]

# Item 4 of the array: an error string the vendor's exporter wrote instead of an article.
VENDOR_D_BAD_ITEM = "ERROR 429: rate limit exceeded for /v2/articles?page=2, retry after 60 seconds"
VENDOR_D_BAD_INDEX = 3  # 0-based, i.e. item 4


def make_vendor_d(out: Path) -> None:
    items: List[object] = []
    for index, art in enumerate(VENDOR_D):
        if index == VENDOR_D_BAD_INDEX:
            items.append(VENDOR_D_BAD_ITEM)
        items.append(
            {
                "headline": art["headline"],
                "text": "\n\n".join(art["text"]),
                "link": art["link"],
                "date": art["date"],
                "publisher": art["publisher"],
            }
        )
    text = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
    write_bytes(out / "vendor_d" / f"dt={VENDOR_D_DUMP}" / "articles.json", text.encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# HTML pages (raw scraped documents) and the pages inside the WARC crawl
# ---------------------------------------------------------------------------------------------

SITES: Dict[str, Dict[str, object]] = {
    "copperfield": {
        "name": "The Copperfield Post",
        "host": "www.copperfieldpost.example",
        "tag": "CP-7731",
        "nav": ["Home", "World", "Business", "Markets", "Tech", "Climate", "Opinion", "Podcasts"],
        "most_read": [
            ("Oil prices climb as Middle East tensions flare", "/markets/oil-prices-climb"),
            ("Five charts that explain the yen’s slide", "/markets/yen-slide-charts"),
            ("Why office landlords are bracing for another tough year", "/business/office-landlords"),
        ],
    },
    "orbital": {
        "name": "Orbital Tech Report",
        "host": "www.orbitaltech.example",
        "tag": "OT-1208",
        "nav": ["Home", "Chips", "AI", "Gadgets", "Cloud", "Security", "Newsletters"],
        "most_read": [
            ("Hands-on with the new wave of AI laptops", "/gadgets/ai-laptops-hands-on"),
            ("The cloud price war nobody is talking about", "/cloud/cloud-price-war"),
            ("What a chip fab actually costs in 2024", "/chips/what-a-fab-costs"),
        ],
    },
    "riverbank": {
        "name": "Riverbank Finance Journal",
        "host": "www.riverbankfinance.example",
        "tag": "RF-5520",
        "nav": ["Home", "Companies", "Autos", "Tech", "Markets", "Personal Finance", "Video"],
        "most_read": [
            ("Bond traders dial back bets on summer rate cuts", "/markets/rate-cut-bets"),
            ("The best-paid chief executives in Europe", "/companies/best-paid-ceos"),
            ("Is it too late to buy into the AI rally?", "/personal-finance/ai-rally"),
        ],
    },
    "marlow": {
        "name": "The Marlow Street Tribune",
        "host": "www.marlowstreet.example",
        "tag": "MS-0904",
        "nav": ["Home", "Companies", "Economy", "Markets", "Energy", "Lex", "Events"],
        "most_read": [
            ("Sterling edges higher ahead of Bank of England decision", "/markets/sterling-boe"),
            ("The quiet boom in European defence stocks", "/markets/defence-stocks"),
            ("Shipping rates jump as Red Sea detours continue", "/economy/shipping-rates"),
        ],
    },
}

HTML_DUMP = "2024-04-24"

HTML_PAGES = [
    {
        "slug": "tsmc-a16-chip-process-2026",
        "site": "orbital",
        "section": "Chips",
        "path": "/chips/2024/04/24/tsmc-a16-chip-process-2026",
        "title": "TSMC unveils A16 chipmaking process, targets 2026 production",
        "standfirst": "The Taiwanese chipmaker says its next technology will deliver faster, more efficient AI chips",
        "author": "Mei-Ling Ho",
        "published": "2024-04-24T08:30:00+00:00",
        "display_date": "24 April 2024",
        "related": [
            ("TSMC April sales beat forecasts", "/chips/tsmc-april-sales"),
            ("Intel bets its future on the 18A process", "/chips/intel-18a-bet"),
            ("Inside the race for backside power delivery", "/chips/backside-power"),
        ],
        "body": paras("""
            TSMC on Wednesday unveiled a new chipmaking technology called A16, which it said would go
            into volume production in the second half of 2026, in a move that could keep the
            Taiwanese chipmaker ahead of Intel in the race to make the world’s most advanced
            processors.

            At its annual technology symposium in Santa Clara, California, the company said the new
            process would combine nanosheet transistors with a new way of delivering power from the
            back of the silicon wafer, allowing chips to run up to 10% faster or use up to 20% less
            power than its upcoming N2 technology.

            “AI chips are hungry for power, and this is exactly what our customers asked for,” TSMC’s
            head of business development told the audience.

            Analysts said the announcement should ease concerns that Intel, which has promised to
            regain the manufacturing lead by 2025, could win orders from TSMC’s biggest customers,
            such as Apple and Nvidia.

            “TSMC’s roadmap looks very credible, and it keeps delivering on time,” said Evelyn Cheng,
            a semiconductor analyst at Formosa Ridge Securities in Taipei. “That is what customers
            pay a premium for.”

            TSMC’s American depositary receipts rose 2.1% in New York, while its Taipei-listed shares
            (TWSE: 2330) have gained more than 30% this year on strong demand for AI chips.
        """),
    },
    {
        "slug": "tesla-shanghai-production-cut",
        "site": "copperfield",
        "section": "Business",
        "path": "/business/tesla-shanghai-production-cut",
        "title": "Tesla trims Shanghai output as China demand cools",
        "standfirst": "The carmaker’s biggest factory has moved to a five-day week as local rivals cut prices",
        "author": "Daniel Hsu",
        "published": "2024-04-23T11:05:00+00:00",
        "display_date": "23 April 2024",
        "related": [
            ("Chinese EV makers bring price war to Europe", "/business/china-ev-price-war-europe"),
            ("Musk’s robotaxi promise, explained", "/tech/robotaxi-explained"),
            ("BYD sales jump as hybrids win over buyers", "/business/byd-hybrids"),
        ],
        "body": paras("""
            Tesla has cut production of its Model Y and Model 3 at its Shanghai factory, the
            automaker's biggest, as sales in China slow and competition from local brands intensifies,
            according to three people familiar with the matter.

            The plant has moved from six-and-a-half days of production a week to five days since
            March, and some lines have been idled for days at a time, the people said. Output in the
            second quarter could be about 20% below last year's level.

            Tesla's China-made sales fell 19% in March from a year earlier, according to data from the
            China Passenger Car Association, while BYD, Li Auto and a dozen smaller rivals have cut
            prices to win buyers.

            "Tesla no longer has the price advantage in China, and its line-up is ageing," said Li
            Wen, an analyst at Pearl Delta Research in Shenzhen. "Cutting production is the right
            decision, but it tells you demand is weak."

            The company did not respond to a request for comment. Tesla is due to report first-quarter
            results after the market closes on Tuesday, and analysts expect its weakest profit margin
            in five years.

            Tesla shares have fallen more than 40% this year.
        """),
    },
    {
        "slug": "nvidia-to-buy-kubit",
        "site": "orbital",
        "section": "AI",
        "path": "/ai/2024/04/24/nvidia-to-buy-kubit",
        "title": "Nvidia to buy Israeli AI software start-up Kubit for $700mn",
        "standfirst": "The chip giant adds tools that help customers squeeze more out of their GPUs",
        "author": "Noa Peretz",
        "published": "2024-04-24T14:10:00+00:00",
        "display_date": "24 April 2024",
        "related": [
            ("Nvidia’s next chip is a monster. Can anyone afford it?", "/chips/nvidia-next-chip"),
            ("Israel’s AI start-ups keep raising money", "/ai/israel-ai-funding"),
            ("Cloud giants design their own AI chips", "/cloud/custom-ai-chips"),
        ],
        "body": paras("""
            Nvidia has agreed to buy Kubit, an Israeli start-up whose software helps companies share
            expensive AI chips more efficiently, for about $700mn, its second acquisition in Israel in
            five years.

            Kubit, based in Tel Aviv, makes tools that schedule and manage graphics processing units
            across data centres, so that more of each chip's capacity is put to use. Its customers
            include banks, carmakers and hospitals.

            Nvidia said it would keep offering Kubit's products under the same business model and
            would also make them part of its DGX Cloud service. The U.S. chipmaker bought Mellanox,
            another Israeli company, in 2020 and now employs about 3,300 people in the country.

            "This is a clever, small deal," said Aaron Feld, an analyst at Carmel Hill Capital. "Nvidia
            sells the chips, and now it also sells the software that makes customers want more of
            them."

            The acquisition strengthens Nvidia's position in AI software, where it faces growing
            competition from cloud providers such as Microsoft that are designing their own chips.

            Nvidia shares rose 3.7% on Wednesday, recovering part of last week's heavy losses.
        """),
    },
    {
        "slug": "volkswagen-cariad-delay-shares",
        "site": "copperfield",
        "section": "Business",
        "path": "/business/volkswagen-cariad-delay-shares",
        "title": "Volkswagen shares slide as software problems delay new Audi and Porsche models",
        "standfirst": "The carmaker’s Cariad unit needs more time to finish the software for premium electric cars",
        "author": "Anna Becker",
        "published": "2024-04-24T06:45:00+00:00",
        "display_date": "24 April 2024",
        "related": [
            ("Europe’s carmakers brace for EU tariffs on Chinese EVs", "/business/eu-ev-tariffs"),
            ("Porsche’s electric Macan finally arrives", "/business/porsche-macan-ev"),
            ("Can Germany fix its car industry?", "/opinion/germany-car-industry"),
        ],
        "body": paras("""
            Shares in Volkswagen fell 4% on Wednesday after the German carmaker said problems at its
            Cariad software unit would delay the launch of several new Audi and Porsche models by up
            to a year.

            The group said the new software platform for its premium brands needed more testing and
            would not be ready in time for cars originally due in early 2025. The delay affects
            electric versions of the Audi Q7 and the Porsche Cayenne.

            “It’s the same story again: Volkswagen’s software is holding back its cars,” said Matthias
            Krämer, an autos analyst at Elbufer Equities in Hamburg. “Every delay gives Tesla and the
            Chinese brands more time.”

            Cariad has lost more than €7bn since 2020, and Volkswagen has replaced the unit’s
            management twice. The carmaker has also turned to partners such as Xpeng in China to
            speed up development.

            A Volkswagen spokesperson said the company was still committed to its targets for 2025
            and that customers of existing models would not be affected.

            The shares have lost about 10% since the start of the year, making them one of the worst
            performers in Germany’s DAX index.
        """),
    },
]

# A live-blog shell: navigation, consent banner and scripts only; the updates are loaded by
# JavaScript, so the saved page holds no article text (quarantined as empty/too short).
HTML_EMPTY_PAGE = {
    "slug": "markets-live",
    "site": "copperfield",
    "path": "/markets/live",
    "title": "Markets live: stocks, bonds and currencies",
}

WARC_DUMP = "2024-05-06"

WARC_PAGES = [
    {
        "site": "riverbank",
        "section": "Autos",
        "path": "/autos/nio-recalls-es8-suspension",
        "title": "Nio recalls 1,400 ES8 SUVs over faulty rear suspension",
        "standfirst": "The recall adds to the Chinese EV maker’s troubles as it battles slowing sales",
        "author": "Grace Lin",
        "published": "2024-05-05T09:20:00+00:00",
        "display_date": "5 May 2024",
        "crawled": "2024-05-06T15:02:11Z",
        "related": [
            ("China’s EV price war: who can survive?", "/autos/ev-price-war-survivors"),
            ("Battery swapping, explained", "/autos/battery-swapping-explained"),
            ("Abu Dhabi doubles down on Chinese carmakers", "/companies/abu-dhabi-ev-bets"),
        ],
        "body": paras("""
            Nio will recall more than 1,400 of its ES8 electric SUVs in China because a rear
            suspension part may crack, China's market regulator said on Sunday, adding to the
            Shanghai-based carmaker's troubles as it battles slowing sales.

            The recall covers ES8 models built between March 2022 and January 2023. The State
            Administration for Market Regulation said a defect in the rear control arm could, in
            extreme cases, cause the part to break and affect the car's handling. Nio will replace the
            parts free of charge.

            The recall comes days after Nio reported April deliveries of 15,620 vehicles, well below
            the level analysts say it needs to turn a profit. The company lost 20.7bn yuan last year
            and has relied on fresh funding from investors in Abu Dhabi.

            "Every recall hurts Nio's premium image at exactly the wrong moment," said Grace Tan, an
            analyst at Junction Road Capital in Singapore. "It is fighting BYD and Li Auto on price,
            and it cannot afford to lose the trust of its customers."

            Nio said no accidents or injuries had been linked to the problem. Its New York-listed
            shares have fallen about 45% this year.
        """),
    },
    {
        "site": "marlow",
        "section": "Companies",
        "path": "/companies/tesla-gruenheide-expansion-vote",
        "title": "Tesla wins local backing to expand German gigafactory",
        "standfirst": "Councillors approve a smaller plan after months of protests over forest clearing",
        "author": "Henrike Vogt",
        "published": "2024-05-05T14:40:00+00:00",
        "display_date": "5 May 2024",
        "crawled": "2024-05-06T15:02:48Z",
        "related": [
            ("Tesla’s Berlin plant restarts after arson attack", "/companies/tesla-berlin-restart"),
            ("Europe’s EV sales stall as subsidies end", "/economy/europe-ev-sales"),
            ("Musk’s pay package goes back to shareholders", "/companies/musk-pay-vote"),
        ],
        "body": paras("""
            Tesla has won the backing of local councillors to expand its only European car factory,
            near Berlin, clearing a key hurdle for the automaker after months of protests by
            environmental activists.

            Councillors in the town of Grünheide voted 11 to 6 in favour of a revised plan that lets
            Tesla add a freight rail yard, warehouses and a daycare centre on land next to the plant.
            The company halved the area of forest to be cleared, to about 50 hectares, after residents
            rejected an earlier version in a non-binding vote.

            “This is a very good day for our factory and for the whole region,” the plant’s manager
            said in a statement. The site employs about 12,000 people and makes the Model Y.

            “Tesla has shown it can compromise, and that will make the next steps much easier,” said
            Henrik Lorenz, an analyst at Spreewald Capital in Berlin. He said the expansion would
            eventually allow the plant to build up to one million cars a year.

            The factory was shut for a week in March after an arson attack on a nearby power pylon.
            Tesla shares have risen more than 20% since the company reported first-quarter results on
            April 23.
        """),
    },
    {
        "site": "riverbank",
        "section": "Tech",
        "path": "/tech/apple-ipad-event-ai-strategy",
        "title": "Apple readies iPad launch as investors wait for its AI plans",
        "standfirst": "New tablets are expected on Tuesday, but the bigger test comes at the developer conference in June",
        "author": "Marcus Reed",
        "published": "2024-05-06T10:00:00+00:00",
        "display_date": "6 May 2024",
        "crawled": "2024-05-06T15:03:30Z",
        "related": [
            ("Apple’s record buyback, by the numbers", "/tech/apple-buyback-numbers"),
            ("The iPhone’s China problem", "/tech/iphone-china-problem"),
            ("Why tablets stopped growing", "/tech/why-tablets-stopped-growing"),
        ],
        "body": paras("""
            Apple will unveil new iPad Pro and iPad Air models on Tuesday, its first new tablets in a
            year and a half, but investors are more interested in what the company will say about
            artificial intelligence.

            The iPhone maker is expected to show thinner iPad Pro models with OLED screens and a new
            in-house chip, according to analysts and supply-chain reports. Prices are likely to start
            above $1,000.

            iPad sales fell 17% in the last quarter to $5.6bn, and tablets now account for about 6% of
            Apple's revenue, far behind the iPhone and services such as the App Store and Apple Music.

            "Tablets are a mature market, so this is not a game changer for Apple," said Rachel Osei,
            an analyst at Kingsmead Equity Research in London. "The real test is June, when Apple is
            expected to lay out its AI plans at its developer conference."

            Apple shares were little changed in early trading on Monday. The company has not said
            whether Tuesday's event will include any software announcements.
        """),
    },
    {
        "site": "marlow",
        "section": "Companies",
        "path": "/companies/siemens-data-centre-order",
        "title": "Siemens wins €900mn order to power new European data centres",
        "standfirst": "The AI boom is lifting demand for switchgear, transformers and building software",
        "author": "Oliver Grant",
        "published": "2024-05-06T07:30:00+00:00",
        "display_date": "6 May 2024",
        "crawled": "2024-05-06T15:04:05Z",
        "related": [
            ("Europe’s grid needs €500bn, says industry group", "/energy/grid-investment"),
            ("Data centres are eating Ireland’s power supply", "/energy/ireland-data-centres"),
            ("Schneider and ABB ride the electrification wave", "/companies/electrification-wave"),
        ],
        "body": paras("""
            Siemens has won an order worth about €900mn to supply electrical equipment and building
            technology for a network of new data centres in Germany, the Netherlands and Ireland, the
            German technology group said on Monday.

            The customer, Nordlicht Data, a developer backed by infrastructure investors, plans to
            build eight data centres over the next four years to meet surging demand for AI
            computing. Siemens will provide medium-voltage switchgear, transformers, fire safety
            systems and software to manage energy use.

            "Data centres have become one of our fastest-growing markets," said the head of the
            company's Smart Infrastructure division, where orders from data-centre customers rose more
            than 50% last year.

            Analysts welcomed the deal. "The AI boom is not only good news for chipmakers; it needs a
            lot of electrical kit too, and Siemens is very well placed," said Claire Dubois, an analyst
            at Rive Gauche Capital in Paris.

            Siemens shares rose 1.9% in Frankfurt, making them one of the best performers in the DAX
            index on the day.
        """),
    },
]

# The image the crawler also fetched (the Nio story's photo): a response whose Content-Type is
# image/jpeg, quarantined as non_text_content. Inserted as the third response in the archive.
WARC_IMAGE = {
    "site": "riverbank",
    "path": "/media/2024/05/nio-es8-recall.jpg",
    "crawled": "2024-05-06T15:03:02Z",
}
WARC_IMAGE_INDEX = 2  # 0-based position among the responses, i.e. response 3


def page_html(site_key: str, page: Dict[str, object]) -> str:
    """A full news page: head metadata, consent banner, navigation, scripts, share buttons,
    related links, footer; the article text in <article><p>...</p></article>."""
    site = SITES[site_key]
    e = html.escape
    url = f"https://{site['host']}{page['path']}"
    nav = "\n".join(
        f'        <li><a href="/{"" if item == "Home" else item.lower().replace(" ", "-")}">{e(item)}</a></li>'
        for item in site["nav"]
    )
    related = "\n".join(f'        <li><a href="{e(href)}">{e(text)}</a></li>' for text, href in page["related"])
    most_read = "\n".join(f'        <li><a href="{e(href)}">{e(text)}</a></li>' for text, href in site["most_read"])
    body = "\n".join(f"      <p>{e(p, quote=False)}</p>" for p in page["body"])
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": page["title"],
            "datePublished": page["published"],
            "author": {"@type": "Person", "name": page["author"]},
            "publisher": {"@type": "Organization", "name": site["name"]},
            "mainEntityOfPage": url,
        },
        ensure_ascii=False,
    )
    share_text = quote(page["title"], safe="")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{e(page["title"])} | {e(site["name"])}</title>
  <meta name="description" content="{e(page["standfirst"])}">
  <meta name="author" content="{e(page["author"])}">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{e(page["title"])}">
  <meta property="og:description" content="{e(page["standfirst"])}">
  <meta property="og:url" content="{url}">
  <meta property="og:site_name" content="{e(site["name"])}">
  <meta property="article:published_time" content="{page["published"]}">
  <meta property="article:section" content="{e(page["section"])}">
  <link rel="canonical" href="{url}">
  <link rel="stylesheet" href="/static/css/main.3f9a1c.css">
  <script async src="https://tags.adnetwork.example/gtag.js?id={site["tag"]}"></script>
  <script>
    window.dataLayer = window.dataLayer || [];
    function gtag(){{dataLayer.push(arguments);}}
    gtag('js', new Date());
    gtag('config', '{site["tag"]}', {{'content_group': '{e(page["section"])}'}});
  </script>
  <script type="application/ld+json">{ld}</script>
</head>
<body class="article-page">
  <div id="cookie-banner" class="cookie-banner" role="dialog" aria-label="Cookie consent">
    <p>We use cookies and similar technologies to improve your experience, personalise ads and
    analyse our traffic. By clicking “Accept all”, you agree to our use of cookies.</p>
    <button id="accept-cookies" type="button">Accept all</button>
    <button id="manage-cookies" type="button">Manage preferences</button>
  </div>
  <header class="site-header">
    <a class="logo" href="/">{e(site["name"])}</a>
    <nav class="main-nav" aria-label="Main">
      <ul>
{nav}
      </ul>
    </nav>
    <form class="search" action="/search"><input type="search" name="q" placeholder="Search"></form>
    <a class="button subscribe" href="/subscribe">Subscribe</a>
    <a class="button sign-in" href="/login">Sign in</a>
  </header>
  <main id="content">
    <nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Home</a> › <a href="/{page["section"].lower()}">{e(page["section"])}</a></nav>
    <header class="story-header">
      <h1>{e(page["title"])}</h1>
      <div class="byline">By <a rel="author" href="/authors/{page["author"].lower().replace(" ", "-")}">{e(page["author"])}</a>
        · <time datetime="{page["published"]}">{page["display_date"]}</time></div>
      <div class="share-buttons">
        <a class="share x" href="https://x.example/intent/post?url={url}&amp;text={share_text}">Share on X</a>
        <a class="share linkedin" href="https://linkedin.example/shareArticle?url={url}">Share on LinkedIn</a>
        <a class="share email" href="mailto:?subject={share_text}&amp;body={url}">Email</a>
        <button class="share copy" type="button" data-url="{url}">Copy link</button>
      </div>
    </header>
    <article class="story-body">
{body}
    </article>
    <aside class="sidebar">
      <section class="related">
      <h2>Related stories</h2>
      <ul>
{related}
      </ul>
      </section>
      <section class="most-read">
      <h2>Most read</h2>
      <ol>
{most_read}
      </ol>
      </section>
      <div class="newsletter-promo">Get the morning briefing in your inbox. <a href="/newsletters">Sign up</a></div>
      <div class="ad-slot" id="ad-sidebar-1" data-ad-unit="/{site["tag"]}/sidebar"></div>
    </aside>
  </main>
  <footer class="site-footer">
    <ul class="footer-links">
      <li><a href="/about">About us</a></li>
      <li><a href="/contact">Contact</a></li>
      <li><a href="/careers">Careers</a></li>
      <li><a href="/privacy">Privacy policy</a></li>
      <li><a href="/cookies">Cookie settings</a></li>
      <li><a href="/terms">Terms of use</a></li>
    </ul>
    <p>© 2024 {e(site["name"])}. All rights reserved.</p>
  </footer>
  <script src="/static/js/app.8c1d2e.js" defer></script>
  <script>
    document.getElementById('accept-cookies').addEventListener('click', function () {{
      document.cookie = 'consent=all; path=/; max-age=31536000';
      document.getElementById('cookie-banner').remove();
    }});
  </script>
</body>
</html>
"""


def empty_page_html(site_key: str, page: Dict[str, str]) -> str:
    """Navigation, consent banner and scripts; the content is rendered client-side."""
    site = SITES[site_key]
    e = html.escape
    nav = "\n".join(
        f'        <li><a href="/{"" if item == "Home" else item.lower().replace(" ", "-")}">{e(item)}</a></li>'
        for item in site["nav"]
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{e(page["title"])} | {e(site["name"])}</title>
  <meta property="og:title" content="{e(page["title"])}">
  <meta property="og:site_name" content="{e(site["name"])}">
  <link rel="canonical" href="https://{site["host"]}{page["path"]}">
  <link rel="stylesheet" href="/static/css/main.3f9a1c.css">
  <script async src="https://tags.adnetwork.example/gtag.js?id={site["tag"]}"></script>
  <script>
    window.dataLayer = window.dataLayer || [];
    function gtag(){{dataLayer.push(arguments);}}
    gtag('js', new Date());
    gtag('config', '{site["tag"]}');
  </script>
  <script>window.__LIVE_CONFIG__ = {{"feed": "/api/live/markets", "poll": 30000, "locale": "en-GB"}};</script>
</head>
<body class="live-page">
  <div id="cookie-banner" class="cookie-banner" role="dialog" aria-label="Cookie consent">
    <button id="accept-cookies" type="button">Accept all</button>
    <button id="manage-cookies" type="button">Manage preferences</button>
  </div>
  <header class="site-header">
    <a class="logo" href="/">{e(site["name"])}</a>
    <nav class="main-nav" aria-label="Main">
      <ul>
{nav}
      </ul>
    </nav>
    <a class="button subscribe" href="/subscribe">Subscribe</a>
  </header>
  <main id="content">
    <div id="live-app" data-feed="/api/live/markets"></div>
  </main>
  <footer class="site-footer">
    <ul class="footer-links">
      <li><a href="/about">About us</a></li>
      <li><a href="/privacy">Privacy policy</a></li>
      <li><a href="/cookies">Cookie settings</a></li>
    </ul>
  </footer>
  <script src="/static/js/vendor.51b0aa.js"></script>
  <script src="/static/js/live.e7d410.js"></script>
  <script>
    LiveApp.mount(document.getElementById('live-app'), window.__LIVE_CONFIG__);
  </script>
</body>
</html>
"""


def make_html(out: Path) -> None:
    folder = out / "html" / f"dt={HTML_DUMP}"
    for page in HTML_PAGES:
        write_bytes(folder / f"{page['slug']}.html", page_html(page["site"], page).encode("utf-8"))
    write_bytes(
        folder / f"{HTML_EMPTY_PAGE['slug']}.html",
        empty_page_html(HTML_EMPTY_PAGE["site"], HTML_EMPTY_PAGE).encode("utf-8"),
    )


# ---------------------------------------------------------------------------------------------
# WARC crawl
# ---------------------------------------------------------------------------------------------


def _record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'newslake-sample-crawl/' + name)}>"


def _http_date(warc_date: str) -> str:
    from datetime import datetime

    moment = datetime.strptime(warc_date, "%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


def _fake_jpeg() -> bytes:
    """A tiny byte string that starts like a JPEG/JFIF file (not a valid image; never decoded)."""
    head = bytes.fromhex("ffd8ffe000104a46494600010101004800480000")
    filler = bytes((i * 37 + 11) % 256 for i in range(512))
    return head + filler + bytes.fromhex("ffd9")


def _write_exchange(
    writer: WARCWriter, name: str, host: str, path: str, crawled: str, ctype: str, payload: bytes
) -> None:
    url = f"https://{host}{path}"
    resp_id, req_id = _record_id(name + "/response"), _record_id(name + "/request")
    http_resp = StatusAndHeaders(
        "200 OK",
        [
            ("Date", _http_date(crawled)),
            ("Server", "nginx"),
            ("Content-Type", ctype),
            ("Content-Length", str(len(payload))),
            ("Cache-Control", "max-age=300"),
            ("Connection", "close"),
        ],
        protocol="HTTP/1.1",
    )
    response = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(payload),
        length=len(payload),
        http_headers=http_resp,
        warc_headers_dict={"WARC-Record-ID": resp_id, "WARC-Date": crawled, "WARC-IP-Address": "192.0.2.10"},
    )
    accept = (
        "image/avif,image/webp,image/*,*/*;q=0.8"
        if ctype.startswith("image/")
        else "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    )
    http_req = StatusAndHeaders(
        f"GET {path} HTTP/1.1",
        [
            ("Host", host),
            ("User-Agent", "newslake-sample-crawler/0.1 (+https://newslake.example/crawler)"),
            ("Accept", accept),
            ("Accept-Encoding", "identity"),
            ("Connection", "close"),
        ],
        is_http_request=True,
    )
    request = writer.create_warc_record(
        url,
        "request",
        http_headers=http_req,
        warc_headers_dict={"WARC-Record-ID": req_id, "WARC-Date": crawled, "WARC-Concurrent-To": resp_id},
    )
    writer.write_record(request)
    writer.write_record(response)


def make_warc(out: Path) -> None:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="1.0")
    info = writer.create_warcinfo_record(
        "crawl.warc.gz",
        {
            "software": "newslake scripts/make_sample_formats.py (warcio WARCWriter)",
            "format": "WARC File Format 1.0",
            "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
            "isPartOf": f"newslake-sample-crawl-{WARC_DUMP}",
            "description": "Invented sample crawl for newslake tests; all article text is fictional.",
            "robots": "obey",
            "operator": "newslake maintainers",
        },
    )
    info.rec_headers.replace_header("WARC-Record-ID", _record_id("warcinfo"))
    info.rec_headers.replace_header("WARC-Date", f"{WARC_DUMP}T15:00:00Z")
    writer.write_record(info)
    for index, page in enumerate(WARC_PAGES):
        if index == WARC_IMAGE_INDEX:
            site = SITES[WARC_IMAGE["site"]]
            _write_exchange(
                writer,
                "image" + WARC_IMAGE["path"],
                site["host"],
                WARC_IMAGE["path"],
                WARC_IMAGE["crawled"],
                "image/jpeg",
                _fake_jpeg(),
            )
        site = SITES[page["site"]]
        _write_exchange(
            writer,
            "page" + page["path"],
            site["host"],
            page["path"],
            page["crawled"],
            "text/html; charset=utf-8",
            page_html(page["site"], page).encode("utf-8"),
        )
    write_bytes(out / "warc" / f"dt={WARC_DUMP}" / "crawl.warc.gz", buf.getvalue())


# ---------------------------------------------------------------------------------------------
# vendor_e: gzipped JSON Lines in the vendor_a schema
# ---------------------------------------------------------------------------------------------

VENDOR_E_DUMP = "2024-03-26"

VENDOR_E = [
    {
        "title": "Alibaba drops Cainiao listing plan, offers $3.75bn to buy out minority holders",
        "body": paras("""
            Alibaba Group said on Tuesday it had withdrawn the planned Hong Kong listing of Cainiao,
            its logistics arm, and would instead offer up to $3.75bn to buy the shares held by
            minority investors and employees.

            The Hangzhou-based company already owns about 64% of Cainiao. It said the offer, which
            values the logistics unit at roughly $10.3bn, would give shareholders a chance to sell at
            a fair price after the market for new listings in Hong Kong dried up.

            Alibaba (NYSE: BABA) has said it wants to focus on e-commerce and cloud computing, but
            executives argue that Cainiao's parcel network is too important to the Taobao and Tmall
            marketplaces to be spun off at a discount.

            "It's a sensible retreat rather than a reversal," said Helen Zhou, a China internet
            analyst at Lantern Bay Securities in Shanghai. "The IPO window is shut, and Alibaba has
            the cash to wait."

            Alibaba's Hong Kong-listed shares were little changed. The offer is expected to close by
            the end of June.
        """),
        "url": "https://www.alpinewire.example/asia/alibaba-drops-cainiao-listing",
        "published": "2024-03-26T09:40:00+08:00",
        "source": "Alpine Wire Service",
        "language": "en",
    },
    {
        "title": "Siemens Mobility erhält Milliardenauftrag für Regionalzüge in Bayern",
        "body": paras("""
            Siemens Mobility hat einen Großauftrag über die Lieferung von 60 Regionalzügen im Wert
            von rund 1,4 Milliarden Euro erhalten. Das teilte die Bahntochter des Münchner
            Technologiekonzerns am Dienstag mit.

            Die Züge vom Typ Mireo Plus sollen ab Ende 2027 auf mehreren Strecken in Ober- und
            Niederbayern fahren. Der Vertrag umfasst auch die Wartung der Fahrzeuge über einen
            Zeitraum von 30 Jahren.

            „Der Auftrag zeigt, dass die Nachfrage nach klimafreundlichen Zügen in Deutschland weiter
            stark ist“, sagte ein Sprecher von Siemens. Die Hälfte der Züge wird mit Batterien
            ausgestattet, damit sie auch auf Strecken ohne Oberleitung fahren können.

            Analysten reagierten positiv. „Siemens Mobility ist derzeit einer der stabilsten Bereiche
            im Konzern“, sagte Katrin Vogel vom Frankfurter Analysehaus Mainufer Research. Die
            Siemens-Aktie legte im Frankfurter Handel um 1,2 Prozent zu.

            Gebaut werden die Züge im Werk Krefeld-Uerdingen, wo Siemens in den vergangenen Jahren
            rund 200 neue Arbeitsplätze geschaffen hat.
        """),
        "url": "https://www.rmwirtschaft.example/unternehmen/siemens-mobility-auftrag-regionalzuege-bayern",
        "published": "2024-03-26T11:20:00+01:00",
        "source": "Rhein-Main Wirtschaftsblatt",
        "language": "de",
    },
    {
        "title": "LVMH to spend €1bn on new Paris workshops, creating 2,000 artisan jobs",
        "body": paras("""
            LVMH Moët Hennessy Louis Vuitton will invest about €1bn over five years in new
            leather-goods and jewellery workshops in and around Paris, creating some 2,000 skilled
            jobs, the world’s largest luxury group said on Tuesday.

            The plan includes a new Louis Vuitton atelier in the Val-d’Oise and an expanded Tiffany &
            Co. jewellery workshop in Pantin. LVMH said it would also double the intake of its
            Institut des Métiers d’Excellence, which trains young craftspeople, to 1,000 apprentices a
            year.

            “Savoir-faire is the heart of our maisons, and we are going to need many more hands,”
            chairman and chief executive Bernard Arnault told staff in a video message.

            The investment comes as the French group, which also owns Dior, Fendi and Moët & Chandon,
            bets that demand for high-end handbags will recover after a slowdown in China and the U.S.
            last year.

            “This is a confident, long-term signal at a moment when some rivals are cutting back,”
            said Sophie Marchetti, an analyst at Quai d’Orsay Partners. LVMH shares rose 1.8% in
            Paris, outperforming the CAC 40 index.
        """),
        "url": "https://www.alpinewire.example/europe/lvmh-paris-workshops-investment",
        "published": "1970-01-01T00:00:00Z",
        "source": "Alpine Wire Service",
        "language": "en",
    },
    {
        "title": "EU opens first Digital Markets Act probes into Apple's App Store rules",
        "body": paras("""
            The European Commission on Monday opened formal investigations into whether Apple is
            breaking the bloc's new Digital Markets Act, the first such probes under the landmark
            competition law.

            Regulators in Brussels said they would examine Apple's rules that stop app developers from
            steering users to cheaper offers outside the App Store, as well as the design of the
            browser choice screen shown to iPhone users in the EU.

            If found in breach, the iPhone maker could be fined up to 10% of its global annual
            revenue, or up to 20% for repeated violations. The Commission said it aimed to finish the
            investigations within 12 months.

            "Gatekeepers have to open their platforms, not just promise to," a Commission spokesperson
            said. Apple said it was confident its plan complied with the law and that it would keep
            working constructively with regulators.

            The move adds to Apple's legal troubles. Earlier this month the company was fined €1.8bn
            by the Commission over music streaming, and last week the U.S. Justice Department filed an
            antitrust lawsuit against it.

            "The timing is bad for Apple, with iPhone demand already weak in China," said Tom
            Whitfield, an analyst at Greyfriars Capital in London. Apple shares fell 0.8% in New York.
        """),
        "url": "https://www.alpinewire.example/europe/eu-dma-probe-apple",
        "published": "2024-03-25T15:20:00+01:00",
        "source": "Alpine Wire Service",
        "language": "en",
    },
]


def make_vendor_e(out: Path) -> None:
    lines = []
    for art in VENDOR_E:
        record = dict(art, body="\n\n".join(art["body"]))
        lines.append(json.dumps(record, ensure_ascii=False))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    write_bytes(
        out / "vendor_e" / f"dt={VENDOR_E_DUMP}" / "articles.jsonl.gz", gzip.compress(data, compresslevel=9, mtime=0)
    )


# ---------------------------------------------------------------------------------------------


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="corpus root (default: data/sample_corpus)")
    args = parser.parse_args(argv)
    make_vendor_c(args.out)
    make_vendor_d(args.out)
    make_html(args.out)
    make_warc(args.out)
    make_vendor_e(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
