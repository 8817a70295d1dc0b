"""
Project catalogue of the sample organisation, Meridian Works.

The first ten briefs are the bundled portfolio; bigger portfolios cycle through them
with a site suffix. Texts use ``str.format`` placeholders filled from ``context``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BRIEFS", "EXECUTIVES", "SITES", "Brief"]

Objective = tuple[str, str | None, str | None]


@dataclass(frozen=True, slots=True)
class Brief:
    """What a project is about: the words of its charter and its task context."""

    name: str
    prefix: str
    programme: str
    domain: str
    methodology: str
    sponsor: int
    context: dict[str, str]
    purpose: str
    objectives: tuple[Objective, ...]
    requirements: tuple[str, ...]
    scope_in: tuple[str, ...]
    scope_out: tuple[str, ...]
    assumptions: tuple[str, ...]
    constraints: tuple[str, ...]
    risks: tuple[str, ...]
    stakeholders: tuple[tuple[str, str], ...] = field(default=())
    scale: float = 1.0
    spend: float = 1.0


#: Executive sponsors: (name, title).
EXECUTIVES: tuple[tuple[str, str], ...] = (
    ("Helen Brandt", "Chief Financial Officer"),
    ("Marcus Okafor", "Chief Operating Officer"),
    ("Ingrid Vos", "Chief Information Officer"),
    ("Sofia Marin", "Chief Commercial Officer"),
    ("David Reyes", "General Counsel"),
)

#: Sites used to name the roll-out of a brief to another location (bigger portfolios).
# fmt: off
SITES: tuple[str, ...] = (
    "Lyon", "Porto", "Gdansk", "Leeds", "Graz", "Aarhus", "Brno", "Valencia",
    "Tampere", "Ghent", "Bilbao", "Turin", "Cork", "Utrecht", "Poznan", "Malmo",
)
# fmt: on

# fmt: off
BRIEFS: tuple[Brief, ...] = (
    Brief(
        name="Customer Portal Relaunch",
        prefix="CPR",
        programme="Customer Growth",
        domain="product",
        methodology="agile",
        sponsor=3,
        context={"system": "customer portal", "vendor": "Lumen Digital",
                 "f0": "registration and single sign-on", "f1": "account dashboard",
                 "f2": "online payments", "f3": "service notifications",
                 "f4": "document upload", "f5": "live chat with customer service"},
        purpose="Replace the 2014 customer portal, which fails on mobile browsers "
                "and causes 38% of service-desk calls, with a self-service portal "
                "released in increments.",
        objectives=(
                    ("Shift routine service requests to self-service",
                     "share of service requests raised online", "60%"),
                    ("Raise customer satisfaction with the portal",
                     "portal CSAT score", "4.2 out of 5 or better"),
                    ("Reduce service-desk call volume",
                     "calls per 1,000 customers per month",
                     "25% below the 2025 baseline")),
        requirements=("Single sign-on with the existing customer identity provider",
                      "WCAG 2.2 AA accessibility",
                      "Payments through the current payment service provider",
                      "Consent management compliant with GDPR"),
        scope_in=("Web portal for private and business customers",
                  "Integration with CRM and billing",
                  "Migration of the 180,000 active portal accounts"),
        scope_out=("Native mobile apps", "Changes to the billing system",
                   "Call-centre telephony"),
        assumptions=("CRM APIs are available in the test environment by sprint 2",
                     "The product owner is available three days a week"),
        constraints=("Live before the autumn price-change letters are sent",
                     "Hosting on the approved cloud tenant only"),
        risks=("Dependency on the CRM API team", "Adoption by older customers"),
        stakeholders=(
                      ("Head of Customer Service",
                       "high: call volumes and agent work"),
                      ("Marketing Lead", "medium: launch campaign"),
                      ("Data Protection Officer", "medium: consent records")),
        scale=1.3,
    ),
    Brief(
        name="ERP Finance Migration",
        prefix="ERP",
        programme="Digital Core",
        domain="it",
        methodology="predictive",
        sponsor=0,
        context={"system": "SAP S/4HANA Finance", "vendor": "Northwind Consulting"},
        purpose="Move the general ledger, payables, receivables and fixed assets "
                "from the legacy ERP, whose vendor support ends in 2027, to SAP "
                "S/4HANA Finance.",
        objectives=(
                    ("Automate intercompany reconciliation",
                     "manual reconciliation hours per month", "under 20 (today 160)"),
                    ("Close the books faster", "working days to month-end close",
                     "5 days (today 9)"),
                    ("Retire the legacy ERP", "legacy licences terminated",
                     "all 4 contracts")),
        requirements=("Statutory reporting for the three legal entities",
                      "Audit trail for every posting",
                      "Interfaces to payroll, banking and the procurement tool"),
        scope_in=("General ledger, AP, AR and fixed assets",
                  "Migration of open items and 3 years of balances",
                  "Training of 85 finance users"),
        scope_out=("Consolidation and group reporting tool", "Payroll processing",
                   "Procurement tool replacement"),
        assumptions=("Finance key users are released 50% during testing",
                     "The chart of accounts is frozen after design sign-off"),
        constraints=("Go-live only at the start of a fiscal quarter",
                     "No change freeze longer than 2 weeks at year end"),
        risks=("Data quality of legacy open items", "Key-user availability",
               "Integration partner staffing"),
        stakeholders=(
                      ("Group Financial Controller",
                       "high: close calendar and controls"),
                      ("External Auditor", "high: migration evidence"),
                      ("Head of IT Operations",
                       "high: hosting, support model and run costs")),
        scale=1.8,
    ),
    Brief(
        name="Warehouse Automation",
        prefix="WHA",
        programme="Operational Excellence",
        domain="ops",
        methodology="predictive",
        sponsor=1,
        context={"equipment": "conveyor and sortation system",
                 "site": "Rotterdam distribution centre",
                 "vendor": "Kestrel Automation",
                 "system": "warehouse management system"},
        purpose="Automate order picking at the Rotterdam distribution centre to "
                "absorb the 30% volume growth planned for 2027 without a third "
                "shift.",
        objectives=(
                    ("Increase picking throughput", "order lines picked per hour",
                     "1,800 (today 1,150)"),
                    ("Cut picking errors", "mis-picks per 10,000 lines", "below 5"),
                    ("Avoid a third shift", "shifts per day", "2")),
        requirements=("CE-marked equipment", "Integration with the WMS",
                      "Operation during installation at 70% of normal volume"),
        scope_in=("Conveyor, sorter and 6 pick stations", "WMS integration",
                  "Operator training and new standard operating procedures"),
        scope_out=("Building works on the roof", "Outbound yard management"),
        assumptions=("Peak season ends before installation starts",
                     "The floor load capacity survey from 2023 is still valid"),
        constraints=("Installation only in weekend windows",
                     "Equipment budget fixed at the 2025 board approval"),
        risks=("Vendor delivery delays", "Disruption of live operations"),
        stakeholders=(
                      ("Site Operations Manager",
                       "high: throughput and shift patterns during the change"),
                      ("Health and Safety Lead",
                       "high: safe installation and operation"),
                      ("Works Council", "medium: new roles and training")),
        scale=1.5,
    ),
    Brief(
        name="Data Retention Compliance",
        prefix="DRC",
        programme="Compliance & Risk",
        domain="reg",
        methodology="hybrid",
        sponsor=4,
        context={"regulation": "the GDPR storage-limitation principle",
                 "system": "customer and HR data stores", "vendor": "Bluefin Data"},
        purpose="Delete or anonymise personal data kept longer than needed, "
                "following the regulator's 2025 audit finding on storage limitation.",
        objectives=(
                    ("Apply retention rules to all in-scope systems",
                     "systems with automated retention", "14 of 14"),
                    ("Close the regulator's finding", "open audit findings", "0"),
                    ("Answer deletion requests on time",
                     "requests closed within 30 days", "98%")),
        requirements=("Retention schedule approved by Legal",
                      "Deletion logs kept for 6 years",
                      "No deletion of records under legal hold"),
        scope_in=("14 customer and HR systems", "Retention schedule and policy",
                  "Deletion-request workflow"),
        scope_out=("Paper archives", "Subsidiaries outside the EU"),
        assumptions=("System owners nominate a data steward each",
                     "Legal holds are listed in one register"),
        constraints=("The regulator's deadline for the remediation plan cannot move",),
        risks=("Unknown copies of personal data", "Deleting data still needed"),
        stakeholders=(
                      ("Data Protection Officer",
                       "high: compliance evidence and audit findings"),
                      ("Head of Internal Audit", "high: control design and testing"),
                      ("Business Unit Directors",
                       "medium: effort asked of their teams")),
        scale=1.4,
    ),
    Brief(
        name="Field Service Mobile App",
        prefix="FSA",
        programme="Operational Excellence",
        domain="product",
        methodology="agile",
        sponsor=1,
        context={"system": "field service app", "vendor": "Appforge",
                 "f0": "offline work orders", "f1": "parts lookup and ordering",
                 "f2": "photo and signature capture", "f3": "route planning",
                 "f4": "time sheets", "f5": "push notifications for urgent jobs"},
        purpose="Give the 240 field engineers a mobile app for work orders, parts "
                "and time sheets, replacing paper job sheets and next-day data "
                "entry.",
        objectives=(("Remove paper job sheets", "jobs closed in the app", "95%"),
                    ("Increase jobs per engineer", "jobs per engineer per day",
                     "5.5 (today 4.6)"),
                    ("Invoice faster", "days from job completion to invoice",
                     "2 (today 9)")),
        requirements=("Works offline for a full shift", "Android and iOS",
                      "Sync with the field service management system"),
        scope_in=("Mobile app for engineers", "Back-office sync and dashboards"),
        scope_out=("Customer-facing tracking", "Replacing engineers' phones"),
        assumptions=("Engineers keep their current phones",),
        constraints=("App store approval lead time of up to 2 weeks",),
        risks=("Poor mobile coverage in rural areas", "Engineer adoption"),
        stakeholders=(
                      ("Site Operations Manager",
                       "high: throughput and shift patterns during the change"),
                      ("Field Engineer Representatives", "high: usability on site")),
        scale=1.3,
    ),
    Brief(
        name="Data Platform Modernisation",
        prefix="DPM",
        programme="Digital Core",
        domain="it",
        methodology="hybrid",
        sponsor=2,
        context={"system": "cloud data platform", "vendor": "Bluefin Data"},
        purpose="Replace the on-premises data warehouse with a cloud data platform "
                "so that finance, sales and operations report from one set of "
                "numbers.",
        objectives=(
                    ("Decommission the on-premises warehouse", "servers switched off",
                     "all 12 servers"),
                    ("Speed up daily reporting", "time the daily reports are ready",
                     "07:00 (today 11:00)"),
                    ("Lower run costs", "annual platform cost",
                     "EUR 180,000 (today 260,000)")),
        requirements=("Row-level security for HR and finance data",
                      "Data lineage for regulatory reports",
                      "Recovery point objective of 1 hour"),
        scope_in=("Ingestion of 9 source systems", "Migration of 140 reports",
                  "Data quality monitoring"),
        scope_out=("Machine-learning use cases", "Real-time streaming"),
        assumptions=("Source system owners provide extract specifications",),
        constraints=("EU data residency", "Dual running limited to 3 months"),
        risks=("Report owners not available for reconciliation",
               "Hidden logic in legacy reports"),
        stakeholders=(
                      ("Head of IT Operations",
                       "high: hosting, support model and run costs"),
                      ("Data Protection Officer", "medium: personal data in scope"),
                      ("Works Council", "low: changes to working practices")),
        scale=1.6,
    ),
    Brief(
        name="ISO 27001 Certification",
        prefix="ISO",
        programme="Compliance & Risk",
        domain="reg",
        methodology="predictive",
        sponsor=2,
        context={"regulation": "ISO/IEC 27001:2022", "system": "information assets",
                 "vendor": "Certa Audit"},
        purpose="Certify the information security management system against ISO/IEC "
                "27001:2022, which three key customers now require in their "
                "contracts.",
        objectives=(
                    ("Achieve certification",
                     "certificate issued by the certification body",
                     "yes, first time"),
                    ("Close major non-conformities", "open major non-conformities",
                     "0"),
                    ("Train all staff",
                     "staff completing security awareness training", "100%")),
        requirements=("Statement of applicability for all 93 Annex A controls",
                      "Risk treatment plan approved by management"),
        scope_in=("Head office and both data centres", "IT and HR processes"),
        scope_out=("Subsidiary in Brno", "Physical security of warehouses"),
        assumptions=("Certification body available in September",),
        constraints=("Audit evidence must cover 3 months of operation",),
        risks=("Evidence gaps found late", "Control owners' availability"),
        stakeholders=(("Head of Internal Audit", "high: control design and testing"),
                      ("Business Unit Directors",
                       "medium: effort asked of their teams"),
                      ("Key Account Managers", "high: customer contract deadlines")),
        scale=1.3,
    ),
    Brief(
        name="Fleet Telematics Rollout",
        prefix="FTR",
        programme="Operational Excellence",
        domain="ops",
        methodology="predictive",
        sponsor=1,
        context={"equipment": "telematics units in 240 service vehicles",
                 "site": "all regional depots", "vendor": "Trackwise",
                 "system": "fleet management system"},
        purpose="Fit telematics to the service fleet to cut fuel use, plan routes "
                "and meet the insurer's driver-safety conditions.",
        objectives=(
                    ("Reduce fuel cost", "fuel cost per vehicle per month",
                     "12% lower"),
                    ("Meet insurer conditions", "vehicles with working telematics",
                     "100%")),
        requirements=("Driver privacy agreement with the Works Council",
                      "Data retained for 90 days only"),
        scope_in=("240 vehicles", "Fleet dashboard", "Driver briefings"),
        scope_out=("Leased pool cars",),
        assumptions=("Vehicles available for fitting at the depot on weekends",),
        constraints=("No vehicle off the road for more than 4 hours",),
        risks=("Works Council objection", "Device supply"),
        stakeholders=(
                      ("Site Operations Manager",
                       "high: throughput and shift patterns during the change"),
                      ("Health and Safety Lead",
                       "high: safe installation and operation"),
                      ("Works Council", "medium: new roles and training")),
        scale=1.3,
        spend=0.6,
    ),
    Brief(
        name="Supplier Self-Service Portal",
        prefix="SSP",
        programme="Digital Core",
        domain="product",
        methodology="agile",
        sponsor=0,
        context={"system": "supplier portal", "vendor": "Lumen Digital",
                 "f0": "supplier onboarding", "f1": "purchase order confirmation",
                 "f2": "invoice upload", "f3": "payment status",
                 "f4": "catalogue upkeep", "f5": "supplier scorecards"},
        purpose="Let suppliers confirm orders, upload invoices and check payments "
                "themselves, freeing accounts-payable staff from status calls.",
        objectives=(
                    ("Reduce supplier status calls",
                     "calls to accounts payable per month", "50% fewer"),
                    ("Digitise invoices", "invoices received electronically", "80%")),
        requirements=("E-invoicing formats UBL and PEPPOL",
                      "Supplier identity checks at onboarding"),
        scope_in=("Portal for the top 400 suppliers", "Integration with the ERP"),
        scope_out=("Tendering and auctions",),
        assumptions=("The new ERP finance module is live before release 2",),
        constraints=("Depends on ERP Finance Migration interfaces",),
        risks=("Dependency on ERP Finance Migration", "Supplier uptake"),
        stakeholders=(("Head of Procurement", "high: supplier relations"),
                      ("Accounts Payable Lead", "high: workload")),
        scale=1.2,
    ),
    Brief(
        name="Predictive Maintenance Pilot",
        prefix="PMP",
        programme="Operational Excellence",
        domain="ops",
        methodology="predictive",
        sponsor=1,
        context={"equipment": "vibration sensors on 60 packaging machines",
                 "site": "Eindhoven plant", "vendor": "Sensorik",
                 "system": "maintenance management system"},
        purpose="Pilot sensor-based maintenance on the packaging line to cut "
                "unplanned downtime before deciding on a plant-wide roll-out.",
        objectives=(
                    ("Reduce unplanned downtime on the pilot line",
                     "unplanned downtime hours per month", "30% lower"),
                    ("Decide on roll-out", "roll-out business case",
                     "presented to the board")),
        requirements=("Sensors certified for food-grade areas",),
        scope_in=("One packaging line (60 machines)", "Alerting to maintenance"),
        scope_out=("Other plants", "Replacement of the maintenance system"),
        assumptions=("Two years of failure history are usable",),
        constraints=("No production stops for sensor fitting",),
        risks=("Too few failures to train a model",),
        stakeholders=(
                      ("Site Operations Manager",
                       "high: throughput and shift patterns during the change"),
                      ("Health and Safety Lead",
                       "high: safe installation and operation")),
        spend=0.25,
    ),
)
# fmt: on
