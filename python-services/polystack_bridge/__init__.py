"""Python side of Polystack's GraalPy bridge.

The Java bridge (``dev.polystack.bridge``) runs these modules inside GraalPy contexts:

- :mod:`polystack_bridge.shims` makes CPython-oriented packages import under GraalPy;
- :mod:`polystack_bridge.moto_host` serves raw HTTP requests with moto's service backends;
- :mod:`polystack_bridge.provider_host` calls LocalStack-convention providers per operation;
- :mod:`polystack_bridge.localstack_host` hosts LocalStack's own providers (plugin registry, dispatch table,
  RequestContext), with :mod:`polystack_bridge.localstack_compat` and :mod:`polystack_bridge.standins` making
  LocalStack's source run under GraalPy;
- :mod:`polystack_bridge.api` is the minimal provider API (``ServiceException``, ``RequestContext``,
  ``handler``) for providers written without localstack-core installed.
"""
