"""Word pools and sentence templates of the synthetic corpus (data only, no logic).

Templates are ``str.format`` strings. Slots filled once per article:
  {C1} first mention of the main company (legal name, sometimes with its ticker)
  {Cn} the main company's canonical name         {N} its sector noun ("carmaker", "bank")
  {PROD} its products ("electric vehicles")      {UNIT} what it ships ("vehicles")
  {XD} demonym adjective of the article's country ("German")   {CITY} its capital
  {DAY} "on Monday"  {WD} "Monday"  {Q} "second-quarter"  {QN} "second quarter"
  {YEAR} {NYEAR}  {CEO} "Jane Smith"  {CEOm} "Ms. Smith"  {TRADE} "New York"  {IDX} "the S&P 500"
  {PERSON} the executive an appointment story is about
Slots drawn afresh at every occurrence:
  {C} main company (name, short form or "the company"), {Cp} its possessive,
  {O}/{Op} another company of the article (and its possessive), {X} the country
  ("the U.S.", "Germany"), {M} a large amount in the company's currency ("$4.5bn"),
  {MS} a smaller amount, {PCT} "3.2%", {PCT2} "24%", {PTS} "1.5 percentage points",
  {JOBS} "1,200", {NUMK} "2.5 million", {AN} an analyst, {FIRM} a broker,
  {EPS} "$1.23 a share", {TIME} "9:30 a.m.", {MONTH} "March", {NTH} "third".
Headline i goes with lead i (modulo the number of headlines), so the two tell one story.
Everything is invented: people, brokers and outlets do not exist; companies are real names
from the gazetteer, but the events are random and must not be read as reporting.
"""

# --- events: polarity -> name -> headlines / leads / details -------------------------------

EVENTS = {
    "positive": {
        "beat": {
            "headlines": [
                "{Cn} beats profit forecasts on strong {PROD} demand",
                "{Cn} {Q} earnings top estimates, shares jump",
                "{Cn} posts {PCT2} profit rise, beating expectations",
                "{Cn} smashes forecasts as {XD} sales surge",
            ],
            "leads": [
                "{C1} reported {Q} profit well above analysts' expectations {DAY}, helped by strong demand for its {PROD} in {X}.",
                "{C1} beat Wall Street forecasts {DAY}, posting a {PCT2} jump in {Q} net income to {M} as sales of {PROD} accelerated.",
                "{C1} said {DAY} that {Q} operating profit rose {PCT2} to {M}, comfortably ahead of analysts' expectations.",
            ],
            "details": [
                "Revenue climbed {PCT2} to {M}, beating the consensus estimate compiled by LSEG.",
                "Earnings per share came in at {EPS}, well above the average analyst forecast.",
                "Gross margin widened by {PTS} from a year earlier to the strongest level in three years.",
                "{C} said demand for its {PROD} was particularly strong in {X}, where sales rose {PCT2}.",
                "Free cash flow more than doubled to {M}, giving {C} room to invest and return cash to shareholders.",
                "The results marked the {NTH} consecutive quarter in which {C} has beaten expectations.",
                "Operating costs fell {PCT} as {C} benefited from lower input prices and a leaner workforce.",
            ],
        },
        "guidance_up": {
            "headlines": [
                "{Cn} raises full-year outlook as orders pick up",
                "{Cn} lifts {YEAR} guidance, shares rally",
                "{Cn} boosts sales forecast on robust {XD} demand",
            ],
            "leads": [
                "{C1} raised its full-year revenue forecast {DAY}, citing resilient demand for its {PROD} and a rebound in orders from {X}.",
                "{C1} lifted its {YEAR} profit guidance {DAY} after a stronger-than-expected {QN}, sending its shares sharply higher.",
                "{C1} now expects annual sales to grow by {PCT2}, up from a previous forecast of {PCT}, the {N} said {DAY}.",
            ],
            "details": [
                "The new outlook implies operating profit of about {M}, above what analysts had pencilled in.",
                "{CEOm} said the order book was at a record level and that pricing remained firm.",
                "{C} also raised its medium-term margin target by {PTS}.",
                "The upgrade was driven by a sharp recovery in {X}, where orders rose {PCT2} in the quarter.",
                "{Cp} chief financial officer said the company was confident it could sustain the momentum into {NYEAR}.",
            ],
        },
        "record_sales": {
            "headlines": [
                "{Cn} reports record {UNIT} sales in {QN}",
                "{Cn} sales hit all-time high on {XD} demand",
                "Record quarter for {Cn} as {PROD} sales soar",
            ],
            "leads": [
                "{C1} delivered a record {NUMK} {UNIT} in the {QN}, the {N} said {DAY}, beating analysts' estimates as demand for its {PROD} surged.",
                "{C1} posted record quarterly sales {DAY}, with shipments of {PROD} up {PCT2} from a year earlier.",
                "{C1} said {DAY} that sales in {X} hit an all-time high in the {QN}, lifting group revenue to a record {M}.",
            ],
            "details": [
                "Sales in {X} rose {PCT2} from a year earlier, while orders from overseas customers more than doubled.",
                "The figures beat the average analyst estimate compiled by the company by a wide margin.",
                "{C} said waiting lists for its newest {PROD} now stretch into {NYEAR}.",
                "It was the {NTH} straight month of record sales for {C}.",
                "Strong demand allowed {C} to cut discounts and raise prices on several models.",
            ],
        },
        "new_plant": {
            "headlines": [
                "{Cn} to build {M} plant in {X}, creating {JOBS} jobs",
                "{Cn} unveils major investment in {XD} production",
                "{Cn} picks {X} for new factory",
            ],
            "leads": [
                "{C1} will invest {M} in a new plant in {X}, creating about {JOBS} jobs, the {N} announced {DAY}.",
                "{C1} said {DAY} it would build a new factory in {X} to meet growing demand for its {PROD}, its biggest investment in a decade.",
                "{C1} plans to open a {M} production site in {X} by {NYEAR}, expanding capacity by {PCT2}.",
            ],
            "details": [
                "Construction is expected to begin in {MONTH}, with the first {PROD} rolling off the line in {NYEAR}.",
                "The {XD} government welcomed the project and said it would provide {MS} in subsidies and tax breaks.",
                "The plant will hire about {JOBS} workers locally and source parts from {XD} suppliers.",
                "{CEOm} said the investment would bring production closer to customers and cut logistics costs.",
                "The new site will raise {Cp} total capacity by {PCT2} once it is fully running.",
            ],
        },
        "contract": {
            "headlines": [
                "{Cn} wins {M} order from {XD} customer",
                "{Cn} lands biggest contract in its history",
                "{Cn} secures multi-year supply deal worth {M}",
            ],
            "leads": [
                "{C1} has won a contract worth {M} to supply {PROD} to customers in {X}, the largest order in the {N}'s history, it said {DAY}.",
                "{C1} said {DAY} it had signed a multi-year agreement worth about {M}, boosting its order backlog to a record.",
                "{C1} secured a {M} deal with a {XD} buyer {DAY}, a win that analysts said would lift earnings for years.",
            ],
            "details": [
                "Deliveries under the contract will start in {NYEAR} and run for five years.",
                "The order lifts {Cp} backlog to {M}, covering more than two years of sales.",
                "{C} beat several rivals for the deal, according to people familiar with the matter.",
                "The agreement includes an option for a further {MS} of orders.",
                "{CEOm} called the contract a strong endorsement of the company's technology.",
            ],
        },
        "upgrade": {
            "headlines": [
                "{Cn} shares climb after upgrade to buy",
                "Analysts turn bullish on {Cn}, raise price targets",
                "{Cn} upgraded as turnaround gains pace",
            ],
            "leads": [
                "Shares of {C1} rose {PCT} {DAY} after analysts at {FIRM} upgraded the stock to buy, citing improving margins and strong demand for its {PROD}.",
                "{C1} gained {PCT} in {TRADE} trading {DAY} after {FIRM} raised its rating, saying the turnaround was ahead of schedule.",
                "{FIRM} upgraded {C1} to outperform {DAY} and lifted its price target by {PCT2}.",
            ],
            "details": [
                "The broker said earnings could rise {PCT2} a year over the next three years.",
                "{C} now trades at a discount to its peers, which the analysts said was unjustified.",
                "Several other brokers have raised their forecasts for {C} in recent weeks.",
                "The upgrade reflects stronger cash generation and a cleaner balance sheet, the note said.",
            ],
        },
        "buyback": {
            "headlines": [
                "{Cn} raises dividend, announces {M} buyback",
                "{Cn} to return {M} to shareholders",
                "{Cn} lifts payout as cash flow soars",
            ],
            "leads": [
                "{C1} announced a share buyback of up to {M} {DAY} and raised its dividend by {PCT2}, reflecting strong cash generation.",
                "{C1} said {DAY} it would return {M} to shareholders over the next two years after a record year for cash flow.",
                "{C1} increased its quarterly dividend by {PCT2} {DAY} and launched a {M} share repurchase programme.",
            ],
            "details": [
                "The buyback will start immediately and run until the end of {NYEAR}.",
                "The higher payout underlines management's confidence in the outlook, analysts said.",
                "{C} has now raised its dividend for the {NTH} year in a row.",
                "Net debt fell to {M} at the end of the quarter, the lowest in five years.",
            ],
        },
        "approval": {
            "headlines": [
                "{Cn} wins regulatory approval for new {PROD}",
                "{XD} regulators clear {Cn} launch",
                "{Cn} gets green light, shares rise",
            ],
            "leads": [
                "{C1} won approval from {XD} regulators {DAY} to launch its newest {PROD}, a milestone that analysts said could add {M} to annual sales.",
                "{C1} said {DAY} it had received the final regulatory clearance needed to start selling its {PROD} in {X}.",
                "Regulators in {X} approved {C1}'s flagship product {DAY}, clearing the way for a launch in {MONTH}.",
            ],
            "details": [
                "The approval came earlier than most analysts had expected.",
                "{C} said it was ready to ship the product immediately and had built up inventory in advance.",
                "The launch opens a market worth about {M} a year, according to industry estimates.",
                "{CEOm} called the decision a turning point for the company.",
            ],
        },
    },
    "negative": {
        "miss": {
            "headlines": [
                "{Cn} misses profit estimates as costs bite",
                "{Cn} {Q} earnings disappoint, shares slide",
                "{Cn} profit falls {PCT2} on weak {XD} demand",
            ],
            "leads": [
                "{C1} reported {Q} profit below analysts' expectations {DAY}, hurt by weak demand for its {PROD} in {X} and rising costs.",
                "{C1} missed forecasts {DAY} as net income fell {PCT2} to {M}, its worst quarterly performance in two years.",
                "{C1} said {DAY} that {Q} operating profit dropped {PCT2} to {M}, well short of analysts' expectations.",
            ],
            "details": [
                "Revenue fell {PCT} to {M}, missing the consensus estimate.",
                "Earnings per share came in at {EPS}, below the average analyst forecast.",
                "Gross margin narrowed by {PTS} from a year earlier as discounts ate into profits.",
                "{C} blamed a sharp slowdown in {X}, where sales dropped {PCT2}.",
                "Inventories rose to {M}, a sign that demand is cooling faster than {C} had expected.",
                "It was the {NTH} consecutive quarter in which profit has declined.",
            ],
        },
        "guidance_cut": {
            "headlines": [
                "{Cn} cuts outlook, warns of weaker demand",
                "{Cn} issues profit warning, shares tumble",
                "{Cn} slashes {YEAR} forecast as {XD} market sours",
            ],
            "leads": [
                "{C1} cut its full-year profit forecast {DAY}, warning that demand for its {PROD} had weakened sharply in {X}.",
                "{C1} issued a profit warning {DAY}, saying operating profit would fall short of previous guidance by as much as {M}.",
                "{C1} now expects annual sales to fall by {PCT}, compared with an earlier forecast of growth, the {N} said {DAY}.",
            ],
            "details": [
                "It was the second time this year that {C} has lowered its guidance.",
                "{CEOm} said customers were delaying orders amid economic uncertainty.",
                "The company also cut its margin target by {PTS}.",
                "Analysts said the warning raised doubts about {Cp} ability to meet its medium-term targets.",
                "{C} said it would cut costs by {MS} to protect profitability.",
            ],
        },
        "recall": {
            "headlines": [
                "{Cn} recalls {NUMK} {UNIT} over safety defect",
                "{Cn} hit by costly recall in {X}",
                "Safety regulators order {Cn} recall",
            ],
            "leads": [
                "{C1} is recalling {NUMK} {UNIT} in {X} because of a defect that could increase the risk of injury, regulators said {DAY}.",
                "{C1} announced a recall of {NUMK} {UNIT} {DAY} after reports of faults, a setback that could cost the {N} about {M}.",
                "{XD} safety regulators ordered {C1} to recall {NUMK} {UNIT} {DAY}, citing a faulty component.",
            ],
            "details": [
                "{C} said it was not aware of any accidents or injuries related to the defect.",
                "Owners will be notified by mail in {MONTH} and the fix will be free of charge.",
                "The recall is the {NTH} this year for {C} and adds to concerns over its quality controls.",
                "The company set aside {MS} to cover the cost of repairs.",
                "Regulators said they were reviewing whether the fix was adequate.",
            ],
        },
        "fine": {
            "headlines": [
                "{Cn} fined {M} by {XD} regulators",
                "{XD} watchdog hits {Cn} with record penalty",
                "{Cn} penalised over breaches in {X}",
            ],
            "leads": [
                "{XD} regulators fined {C1} {M} {DAY} for breaching competition rules, one of the largest penalties ever imposed in {X}.",
                "{C1} was ordered to pay {M} {DAY} after an investigation found it had misled customers, the regulator said.",
                "A court in {X} fined {C1} {M} {DAY}, ruling that the {N} had violated consumer protection laws.",
            ],
            "details": [
                "{C} said it disagreed with the decision and would appeal.",
                "The regulator said the breaches had gone on for several years and harmed thousands of customers.",
                "The fine is equivalent to about {PCT} of {Cp} annual revenue in {X}.",
                "The company had set aside {MS} for the case, which will not be enough to cover the penalty.",
                "Officials said they were also examining similar complaints against other firms in the industry.",
            ],
        },
        "layoffs": {
            "headlines": [
                "{Cn} to cut {JOBS} jobs in restructuring",
                "{Cn} announces layoffs as sales slump",
                "{Cn} to shed {PCT2} of workforce",
            ],
            "leads": [
                "{C1} will cut about {JOBS} jobs, or {PCT} of its workforce, the {N} said {DAY}, as it struggles with falling sales and rising costs.",
                "{C1} announced {DAY} that it would lay off {JOBS} employees and close several sites in {X}.",
                "{C1} plans to eliminate {JOBS} positions as part of a restructuring aimed at saving {M} a year, it said {DAY}.",
            ],
            "details": [
                "Unions in {X} condemned the decision and threatened strikes.",
                "The cuts will mostly affect administrative roles and are expected to be completed by the end of {NYEAR}.",
                "{C} will book a restructuring charge of {MS} in the current quarter.",
                "It is the {NTH} round of job cuts at {C} in two years.",
                "{CEOm} said the decision was painful but necessary to secure the company's future.",
            ],
        },
        "lawsuit": {
            "headlines": [
                "{Cn} sued by investors over misleading statements",
                "{Cn} faces probe in {X}",
                "Prosecutors open investigation into {Cn}",
            ],
            "leads": [
                "{C1} has been sued by a group of investors who accuse the {N} of misleading them about the health of its business, according to a court filing {DAY}.",
                "Authorities in {X} have opened an investigation into {C1} over suspected accounting irregularities, people familiar with the matter said {DAY}.",
                "{C1} said {DAY} it was cooperating with a {XD} probe into its sales practices, sending its shares lower.",
            ],
            "details": [
                "The lawsuit seeks damages of at least {M}.",
                "{C} denied any wrongdoing and said it would defend itself vigorously.",
                "Investigators raided the company's offices in {CITY} last week, according to a statement.",
                "The probe could take years and result in heavy fines, lawyers said.",
                "The allegations add to a string of governance problems that have weighed on the stock.",
            ],
        },
        "downgrade": {
            "headlines": [
                "{Cn} shares fall after downgrade",
                "Analysts cut {Cn} to sell on margin worries",
                "{Cn} downgraded as competition intensifies",
            ],
            "leads": [
                "Shares of {C1} fell {PCT} {DAY} after analysts at {FIRM} downgraded the stock to sell, warning that competition was eroding its margins.",
                "{C1} dropped {PCT} in {TRADE} trading {DAY} after {FIRM} cut its rating and slashed its price target by {PCT2}.",
                "{FIRM} downgraded {C1} to underperform {DAY}, saying earnings forecasts were still too high.",
            ],
            "details": [
                "The broker cut its earnings estimates for {NYEAR} by {PCT2}.",
                "The analysts said price cuts by rivals would force {C} to sacrifice profitability.",
                "Several other brokers have lowered their forecasts for {C} in recent weeks.",
                "The stock has lost {PCT2} of its value since the start of the year.",
            ],
        },
        "disruption": {
            "headlines": [
                "{Cn} halts production after fire at {XD} plant",
                "Strike shuts {Cn} factories in {X}",
                "{Cn} hit by cyberattack, operations disrupted",
            ],
            "leads": [
                "{C1} suspended production at its main plant in {X} {DAY} after a fire, disrupting supplies of {PROD} to customers.",
                "Workers at {C1} in {X} went on strike {DAY}, halting output at several factories and threatening deliveries.",
                "{C1} said {DAY} it had been hit by a cyberattack that disrupted its operations and could weigh on {Q} results.",
            ],
            "details": [
                "The company could not say when production would resume.",
                "The disruption could cost {C} about {MS} a week in lost output, analysts estimated.",
                "Customers have been warned of delays of up to several weeks.",
                "It is the {NTH} serious disruption at {C} this year.",
                "Local authorities are investigating the cause of the incident, the company said.",
            ],
        },
    },
    "neutral": {
        "inline": {
            "headlines": [
                "{Cn} {Q} results in line with expectations",
                "{Cn} keeps outlook unchanged after steady quarter",
                "{Cn} reports flat sales, confirms guidance",
            ],
            "leads": [
                "{C1} reported {Q} results broadly in line with expectations {DAY} and kept its full-year outlook unchanged.",
                "{C1} said {DAY} that revenue was flat at {M} in the {QN}, matching the average analyst forecast.",
                "{C1} confirmed its {YEAR} guidance {DAY} after sales and profit for the {QN} came in close to estimates.",
            ],
            "details": [
                "Revenue was {M}, compared with {M} a year earlier.",
                "Earnings per share were {EPS}, in line with the consensus.",
                "{C} said it expected conditions in {X} to remain stable for the rest of the year.",
                "The company will publish its next results in {MONTH}.",
                "Management repeated its target of a {PCT2} operating margin by {NYEAR}.",
            ],
        },
        "appointment": {
            "headlines": [
                "{Cn} names new chief financial officer",
                "{Cn} appoints {PERSON} as chief executive",
                "{Cn} announces board changes",
            ],
            "leads": [
                "{C1} appointed {PERSON} as its new chief financial officer {DAY}, effective from {MONTH}.",
                "{C1} said {DAY} that its chief executive, {CEO}, would step down at the end of the year and be replaced by {PERSON}.",
                "{C1} named {PERSON} as chairman of its board {DAY}, succeeding a director who is retiring.",
            ],
            "details": [
                "{PERSON} joined the company in 2015 and previously ran its operations in {X}.",
                "The appointment follows a search that lasted several months, the company said.",
                "{CEOm} will remain an adviser to the board until the handover is complete.",
                "The company did not disclose the terms of the new contract.",
            ],
        },
        "asset_sale": {
            "headlines": [
                "{Cn} to sell {XD} unit for {M}",
                "{Cn} explores options for non-core business",
                "{Cn} agrees sale of stake in joint venture",
            ],
            "leads": [
                "{C1} agreed to sell its business in {X} for {M}, the {N} said {DAY}, as it focuses on its core markets.",
                "{C1} is reviewing options for its {PROD} unit, including a possible sale, people familiar with the matter said {DAY}.",
                "{C1} said {DAY} it would sell its stake in a joint venture in {X} to its partner for {M}.",
            ],
            "details": [
                "The deal is expected to close in the {QN}, subject to regulatory approval.",
                "The unit had revenue of {M} last year and employs about {JOBS} people.",
                "{C} said it would use the proceeds to pay down debt.",
                "The company has hired advisers to run the process, the people said.",
            ],
        },
        "financing": {
            "headlines": [
                "{Cn} sells {M} of bonds",
                "{Cn} refinances debt ahead of maturities",
                "{Cn} arranges new credit facility",
            ],
            "leads": [
                "{C1} sold {M} of bonds {DAY} in a multi-part deal to refinance debt falling due next year.",
                "{C1} said {DAY} it had signed a {M} revolving credit facility with a group of banks.",
                "{C1} priced a {M} bond offering {DAY}, with maturities ranging from five to 30 years.",
            ],
            "details": [
                "The ten-year tranche was priced at a spread of 95 basis points over Treasuries.",
                "Proceeds will be used for general corporate purposes, including refinancing.",
                "The facility replaces an existing agreement that was due to expire in {NYEAR}.",
                "Orders for the bonds totalled about {M}, according to a person familiar with the deal.",
            ],
        },
        "meeting": {
            "headlines": [
                "{Cn} shareholders to vote on board pay",
                "{Cn} holds annual meeting in {CITY}",
                "{Cn} sets date for investor day",
            ],
            "leads": [
                "Shareholders of {C1} will vote on executive pay and the re-election of directors at the company's annual meeting {DAY}.",
                "{C1} will hold its annual general meeting in {CITY} {DAY}, where investors are expected to question management on strategy.",
                "{C1} said {DAY} it would present its new medium-term plan at an investor day in {MONTH}.",
            ],
            "details": [
                "Two proxy advisers have recommended that investors back all resolutions.",
                "The company will also ask shareholders to approve a dividend of {EPS}.",
                "{CEOm} is expected to give an update on trading at the meeting.",
                "The meeting will be held in person and streamed online.",
            ],
        },
        "talks": {
            "headlines": [
                "{Cn} in talks with {XD} partners on joint venture",
                "{Cn} signs memorandum of understanding in {X}",
                "{Cn} confirms early-stage talks on partnership",
            ],
            "leads": [
                "{C1} is in talks with partners in {X} about a possible joint venture, the {N} confirmed {DAY}, adding that no decision had been made.",
                "{C1} signed a memorandum of understanding {DAY} to explore cooperation on {PROD} with a {XD} group.",
                "{C1} said {DAY} it was in early-stage discussions about a partnership and that there was no certainty a deal would be reached.",
            ],
            "details": [
                "The talks are at an early stage and the terms have not been agreed, the company said.",
                "A spokesperson declined to give further details.",
                "Any agreement would need approval from regulators in {X}.",
                "The two sides have worked together on smaller projects since 2019.",
            ],
        },
        "update": {
            "headlines": [
                "{Cn} trading update shows steady demand",
                "{Cn} reports monthly sales data",
                "{Cn} publishes {Q} production figures",
            ],
            "leads": [
                "{C1} said {DAY} that trading in the first weeks of the {QN} was in line with its plans, with demand for its {PROD} broadly stable.",
                "{C1} published its monthly sales figures {DAY}, showing volumes little changed from a year earlier.",
                "{C1} released {Q} production data {DAY}, with output of {PROD} at {NUMK} {UNIT}.",
            ],
            "details": [
                "The figures were close to what analysts had expected.",
                "Sales in {X} were roughly unchanged, while other markets were mixed.",
                "{C} said it would provide more detail with its full results in {MONTH}.",
                "The company did not change its guidance for the year.",
            ],
        },
    },
}

# --- generic sentences, by polarity ----------------------------------------------------------

MARKET = {
    "positive": [
        "Shares of {Cn} rose {PCT} in {TRADE} trading {DAY}, outperforming {IDX}, which was little changed on the day.",
        "The stock jumped {PCT} by midday, its biggest one-day gain in months, as investors rushed to rebuild positions.",
        "{Cp} shares climbed {PCT} at the open and have now gained {PCT2} this year, well ahead of the broader market.",
        "Investors cheered the news, pushing {Cp} market value above {M} for the first time.",
        "The shares hit a record high before paring gains, and options trading pointed to further bets on a rally.",
        "Trading volume was roughly three times the daily average as the stock moved higher through the session.",
    ],
    "negative": [
        "Shares of {Cn} fell {PCT} in {TRADE} trading {DAY}, underperforming {IDX}, which edged higher.",
        "The stock slumped {PCT} by midday, its steepest one-day drop since {MONTH}, as investors headed for the exits.",
        "{Cp} shares dropped {PCT} at the open and have lost {PCT2} so far this year, lagging most of their peers.",
        "The sell-off wiped about {M} off {Cp} market value in a single session.",
        "The shares hit their lowest level in more than a year, and several funds were reported to have cut their holdings.",
        "Short interest in the stock has risen sharply in recent weeks, according to data from a market analytics firm.",
    ],
    "neutral": [
        "Shares of {Cn} were little changed in {TRADE} trading {DAY}, while {IDX} was slightly higher.",
        "The stock closed flat, in line with {IDX}, in a quiet session ahead of central bank decisions.",
        "{Cp} shares have risen {PCT} so far this year, roughly tracking {IDX} over the same period.",
        "Trading volume was in line with the 30-day average, and the shares ended the session close to where they opened.",
        "The shares were unchanged at {TIME} local time, after trading in a narrow range for most of the morning.",
    ],
}

QUOTES = {
    "positive": [
        '"This was a clean beat across the board, and the guidance tells you management sees no slowdown," said {AN}, an analyst at {FIRM}.',
        '"Demand is holding up much better than the market feared, and pricing is still firm," said {AN} of {FIRM}.',
        '"We think the recovery is real and it has further to run. The balance sheet gives them plenty of options," {AN}, a portfolio manager at {FIRM}, said.',
        '"The numbers show {Cn} is gaining market share in every region that matters," said {AN}, an analyst at {FIRM}.',
        '"We are very pleased with the progress we have made this year, and we see strong momentum going into next year," {CEOm} told reporters.',
        '"Our order book has never been stronger, and our customers keep coming back for more," {CEOm} said in a statement.',
        '"It\'s a great result and a sign that the strategy is working," said {AN}, who covers the company for {FIRM}.',
    ],
    "negative": [
        '"This is a disappointing set of numbers and the outlook is worse," said {AN}, an analyst at {FIRM}.',
        '"Management has lost credibility with investors, and it will take more than one good quarter to win it back," said {AN} of {FIRM}.',
        '"We see more downside from here as the pricing pressure is not going away," {AN}, a fund manager at {FIRM}, said.',
        '"The company is losing share to cheaper rivals and has no clear answer," said {AN}, an analyst at {FIRM}.',
        '"We are not satisfied with these results, and we are taking decisive action to fix the problems," {CEOm} admitted on a call with analysts.',
        '"It\'s hard to see what turns this around in the near term. Costs are rising and demand is soft," said {AN}, who covers the company for {FIRM}.',
    ],
    "neutral": [
        '"The results were roughly what we expected, so the focus now shifts to the second half," said {AN}, an analyst at {FIRM}.',
        '"We will learn more about the strategy at the investor day, and until then we are on the sidelines," said {AN} of {FIRM}.',
        '"It\'s a transition year for the company," {AN}, an analyst at {FIRM}, said.',
        '"We are sticking with our plan and will update the market when we have something to say," {CEOm} said in a statement.',
        '"The market will be watching the second half closely," said {AN}, who covers the sector for {FIRM}.',
    ],
}

OUTLOOK = {
    "positive": [
        "{C} expects revenue growth to accelerate in the second half of the year as new products reach customers.",
        "The company said it was on track to meet its {NYEAR} targets ahead of schedule, helped by cost savings and higher prices.",
        "Analysts expect {Cp} earnings to grow by {PCT2} next year, according to the average of estimates compiled by the company.",
        "{C} said it would hire {JOBS} more people over the next 12 months to keep up with demand.",
        "Management said demand in {X} remained robust and that orders in the first weeks of the new quarter were rising.",
    ],
    "negative": [
        "{C} warned that conditions would remain difficult for the rest of the year and that it saw little sign of improvement.",
        "The company said it could not rule out further cost cuts if demand continued to weaken.",
        "Analysts expect {Cp} earnings to shrink by {PCT} next year, and several have cut their price targets in recent weeks.",
        "{C} said it saw no sign of a recovery in {X} before {NYEAR} and warned that inventories were too high.",
        "Management said higher costs and weaker prices would continue to weigh on margins through the end of the year.",
    ],
    "neutral": [
        "{C} will report {Q} results in {MONTH}, when it is also expected to give an update on its investment plans.",
        "The company said its outlook depended on how the economy in {X} develops over the coming months.",
        "{C} kept its forecast of revenue of about {M} for the year, in line with what it said three months ago.",
        "Management said it would update investors on its strategy later in the year.",
        "Analysts on average expect revenue of {M} for the full year, according to estimates compiled by LSEG.",
    ],
}

BACKGROUND = [
    "{C} employs about {JOBS} people worldwide and had revenue of {M} last year.",
    "Founded more than half a century ago, {C} sells its {PROD} in more than 100 countries and has factories on three continents.",
    "{C} is headquartered in {CITY} and is one of the largest {N}s in {X} by revenue.",
    "{Cp} largest markets are {X} and Europe, which together account for {PCT2} of group sales.",
    "The company has been investing heavily in new technology over the past five years, spending more than {M} on research.",
    "{CEO} has led {C} since 2019 and has overseen a sweeping overhaul of its product line.",
    "{C} has been under pressure from activist investors to simplify its structure and sell underperforming units.",
    "{C} generates about {PCT2} of its sales in the U.S., one of its largest markets.",
    "{C} declined to comment beyond its statement.",
    "A spokesperson for {C} did not respond to a request for comment outside regular business hours.",
    "The figures are unaudited and may be revised, the company said in a filing with the stock exchange.",
    "{C} is due to hold a conference call with analysts at {TIME} local time, when executives will take questions.",
    "{C} is listed in {TRADE} and is a member of {IDX}.",
    "The {N} has a market value of about {M}, making it one of the most valuable companies in its sector.",
    "Dr. {AN}, an industry consultant, said the sector was going through its biggest change in a generation.",
]

MACRO = {
    "positive": [
        "The economy of {X} grew {PCT} in the latest quarter, faster than economists had forecast, as consumers kept spending.",
        "Consumer confidence in {X} rose to its highest level in two years in {MONTH}, a survey showed.",
        "{XD} officials have introduced subsidies and tax breaks to support investment in {PROD}.",
        "Inflation in {X} eased to {PCT}, raising hopes that the central bank will start cutting interest rates soon.",
        "Demand for {PROD} in {X} is expected to grow by {PCT2} a year until 2030, according to industry estimates.",
    ],
    "negative": [
        "The economy of {X} contracted {PCT} in the latest quarter as exports slumped and businesses cut investment.",
        "Consumer confidence in {X} fell to its lowest level in a year in {MONTH}, as households worried about jobs and prices.",
        "{XD} authorities have tightened rules for the industry, raising compliance costs for companies of all sizes.",
        "Inflation in {X} rose to {PCT}, squeezing household budgets and clouding the outlook for consumer spending.",
        "Tariffs on imports into {X} have disrupted supply chains and raised prices for manufacturers and consumers alike.",
    ],
    "neutral": [
        "The central bank of {X} kept interest rates unchanged at its latest meeting, in line with expectations.",
        "{X} is one of the largest markets for {PROD} in the world, and competition there is intense.",
        "Officials in {CITY} are due to publish trade data next week, which investors will watch for signs of a slowdown.",
        "The U.S. Federal Reserve and the European Central Bank both meet later this month to set interest rates.",
        "{XD} industrial output was roughly flat in {MONTH}, official data showed.",
    ],
}

COMPETITOR = {
    "positive": [
        "{O} also reported strong results this week, suggesting the whole industry is benefiting from the upturn.",
        "Shares of {O} rose {PCT} in sympathy, as investors bet that rivals would also benefit from stronger demand.",
        "{C} is gaining ground on {O}, its biggest rival in {X}, according to industry data.",
        "{Op} chief executive said last month that demand was the strongest in a decade.",
    ],
    "negative": [
        "{O} warned of a similar slowdown last month and has since cut hundreds of jobs.",
        "Shares of {O} fell {PCT} in sympathy, dragging the sector lower.",
        "{C} has been losing market share to {O} and other cheaper rivals over the past two years.",
        "Competition from {O} has forced {C} to cut prices repeatedly, eroding its margins.",
    ],
    "neutral": [
        "{O} is due to report its results next week.",
        "{C} competes with {O} in several markets, including {X}.",
        "{O} declined to comment on the matter when contacted by reporters.",
        "{C} and {O} have a long-standing supply agreement that runs until the end of the decade.",
    ],
}

# --- syndication and site chrome -------------------------------------------------------------

WIRES = ["Meridian Wire", "Ledger Wire", "Harbour News Agency", "Asia Pacific Newswire", "Continental Press"]
SYNDICATION_FOOTERS = [
    "This story was syndicated from {wire}.",
    "This article was originally published by {wire} and is republished with permission.",
    "(Reporting by {rep}; Editing by {ed})",
    "Copyright {wire}. All rights reserved.",
]
ORIGINAL_FOOTERS = [
    "Reporting by {rep} in {city}; additional reporting by {ed}; editing by {ed2}.",
    "Write to {rep} at newsroom@{domain}.",
    "{rep} is a business correspondent for {site}.",
]

# Light rewording for syndicated copies: the first key found in a sentence is replaced.
REWORDING = [
    (" said on ", " said "),
    (" rose ", " climbed "),
    (" fell ", " declined "),
    (" expects ", " anticipates "),
    (" about ", " around "),
    (" would ", " will "),
    (" plans to ", " intends to "),
    (" cut ", " reduced "),
    (" strong ", " robust "),
    (" shares ", " stock "),
    (" company ", " firm "),
    (" analysts ", " market watchers "),
    (" however ", " but "),
    (" largest ", " biggest "),
    (" because of ", " due to "),
    (" said.", " said in a statement."),
]

# --- names -----------------------------------------------------------------------------------

FIRST_NAMES = [
    ("Dana", "Ms."),
    ("Li", "Ms."),
    ("Vikram", "Mr."),
    ("Anna", "Ms."),
    ("Thomas", "Mr."),
    ("Yuki", "Ms."),
    ("Carlos", "Mr."),
    ("Fatima", "Ms."),
    ("James", "Mr."),
    ("Priya", "Ms."),
    ("Henrik", "Mr."),
    ("Sofia", "Ms."),
    ("Kenji", "Mr."),
    ("Amara", "Ms."),
    ("Lukas", "Mr."),
    ("Mei", "Ms."),
    ("Omar", "Mr."),
    ("Claire", "Ms."),
    ("Rafael", "Mr."),
    ("Ingrid", "Ms."),
    ("David", "Mr."),
    ("Hana", "Ms."),
    ("Mateo", "Mr."),
    ("Elena", "Ms."),
    ("Samuel", "Mr."),
    ("Aisha", "Ms."),
    ("Pierre", "Mr."),
    ("Jia", "Ms."),
    ("Arjun", "Mr."),
    ("Laura", "Ms."),
]
LAST_NAMES = [
    "Whitfield",
    "Wenqing",
    "Sethi",
    "Keller",
    "Brandt",
    "Tanaka",
    "Mendes",
    "Haddad",
    "O'Connor",
    "Raman",
    "Lindqvist",
    "Ricci",
    "Morimoto",
    "Okafor",
    "Vogel",
    "Zhang",
    "Farouk",
    "Dubois",
    "Castillo",
    "Nyberg",
    "Cohen",
    "Park",
    "Alvarez",
    "Petrova",
    "Mensah",
    "Chaudhry",
    "Lefebvre",
    "Wu",
    "Iyer",
    "Schmidt",
    "Hartley",
    "Moreau",
    "Kowalski",
    "Santos",
    "Fischer",
    "Nakamura",
    "Duval",
    "Rossi",
    "Kim",
    "Novak",
]
FIRM_A = [
    "Corbel",
    "Harrow",
    "Jadeport",
    "Kestrel",
    "Larkspur",
    "Northgate",
    "Oakmere",
    "Pinecrest",
    "Quayside",
    "Redfern",
    "Saltmarsh",
    "Thornbury",
    "Upland",
    "Westbrook",
    "Yarrow",
    "Ashdown",
    "Bramble",
    "Cobalt",
    "Konkan",
    "Silverbirch",
]
FIRM_B = ["Hill", "Point", "Bridge", "Ridge", "Bay", "Lane", "Park", "Gate", "Street", "Rock"]
FIRM_C = [
    "Securities",
    "Research",
    "Capital",
    "Partners",
    "Advisors",
    "Asset Management",
    "Investments",
    "Markets",
    "& Co.",
    "Equities",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_SHORT = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINALS = ["second", "third", "fourth", "fifth", "sixth", "seventh"]
QUARTERS = ["first", "second", "third", "fourth"]

# --- outlets (all invented; reserved .example TLD) -------------------------------------------
# name, domain, JSONL vendor ("a": title/body/url/published, "b": headline/content/link/pubDate),
# UTC offset in minutes, curly quotes, URL carries the date

SITES = [
    ("The Ledger Wire", "ledgerwire.example", "a", 0, False, True),
    ("Asia Pacific Trade Journal", "aptradejournal.example", "a", 480, True, False),
    ("Harbour Street Journal", "harbourstreet.example", "a", -240, False, True),
    ("Rhine Business Daily", "rhinebusiness.example", "b", 60, True, False),
    ("Market Mirror India", "marketmirror.example", "a", 330, False, True),
    ("Tokyo Ledger", "tokyoledger.example", "b", 540, False, False),
    ("Gulf Finance Review", "gulffinance.example", "a", 240, False, True),
    ("Paulista Business News", "paulista.example", "b", -180, True, False),
    ("Southern Cross Markets", "southerncross.example", "a", 600, False, True),
    ("City Desk London", "citydesk.example", "b", 0, True, True),
    ("Lakeside Capital Times", "lakesidetimes.example", "a", -300, False, False),
    ("Alpine Finance Post", "alpinefinance.example", "b", 60, True, True),
    ("Seoul Economic Report", "seoulreport.example", "a", 540, False, False),
    ("Nordic Markets Daily", "nordicmarkets.example", "b", 60, False, True),
    ("The Global Investor", "globalinvestor.example", "a", -240, True, True),
    ("Lion City Business", "lioncity.example", "a", 480, False, False),
    ("Cape Markets Wire", "capemarkets.example", "b", 120, False, True),
    ("Pacific Coast Business", "pacificcoast.example", "a", -420, False, False),
]
SECTIONS = ["business", "markets", "companies", "tech", "autos", "energy", "finance", "world"]

READ_MORE = [
    "Read more.",
    "Subscribe to continue reading.",
    "Click here to read the full story.",
    "Read more...",
    "This content is for subscribers only.",
]
ERROR_PAGES = [
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
    "<html><body><h1>503 Service Unavailable</h1>No server is available to handle this request.</body></html>",
    "Rate limit exceeded. Retry after 60 seconds.",
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser before accessing the site.</body></html>",
]
NOT_OBJECTS = ['"Service temporarily unavailable"', "null", '["error", 503]', "[]", "42"]

NAV = ["Home", "Markets", "Companies", "Tech", "Autos", "Energy", "Opinion", "Video", "Newsletters"]
