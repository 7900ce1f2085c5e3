"""The council's own statutory returns -> the quarter's figures, with no re-keying.

Every council sends DfE two child-level returns: the SSDA903 (children looked after, as
episodes of care, with care leavers, adoptions and missing episodes) and the children in
need census (referrals, assessments, section 47 enquiries, conferences and child
protection plans). Their records are dated, so any quarter's, year's or rolling twelve
months' figure can be computed with DfE's own definitions. This package does that:

* :mod:`~perf.childlevel.ssda903` and :mod:`~perf.childlevel.cin` read the returns (a
  folder of SSDA903 CSV tables or its XML file; the CIN census XML) into checked frames,
  one number per child instead of the council's identifier;
* :mod:`~perf.childlevel.looked_after` and :mod:`~perf.childlevel.in_need` hold the
  definitions, each citing DfE's, for any period;
* :mod:`~perf.childlevel.observations` turns them into tidy observations for the periods
  a return covers (the readers registered in :mod:`perf.loaders`: ``perf.load(folder)``,
  ``perf tidy``, ``perf.load_all()``);
* :mod:`~perf.childlevel.synthetic` writes a synthetic worked example of any size;
* :mod:`~perf.childlevel.workdays` counts England's working days.

Child-level frames never leave the package: only counts (observations) do, and no error
or log line names a child or a date of birth.
"""
