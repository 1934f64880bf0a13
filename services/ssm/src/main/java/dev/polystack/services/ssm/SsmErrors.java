package dev.polystack.services.ssm;

import dev.polystack.api.ServiceException;

/** SSM's errors with AWS's codes and texts (JSON 1.1: {@code __type} and {@code message}, status 400). */
final class SsmErrors {
    private SsmErrors() {
    }

    /** What AWS answers for a name with bad characters, a bad prefix or an empty sub-path. */
    static final String INVALID_NAME = "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). "
            + "If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be "
            + "formed as a mix of letters, numbers and the following 3 symbols .-_";

    static final String INVALID_PATH = "The parameter doesn't meet the parameter name requirements. The parameter name must "
            + "begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use "
            + "only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters "
            + "are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". "
            + "Valid example: /get/parameters2-/by1./path0_.";

    static ServiceException validation(String message) {
        return new ServiceException("ValidationException", message);
    }

    static ServiceException notFound(String name) {
        return new ServiceException("ParameterNotFound", "Parameter " + name + " not found.");
    }

    static ServiceException versionNotFound(String name, Object version) {
        return new ServiceException("ParameterVersionNotFound", "Systems Manager could not find version " + version
                + " of " + name + ". Verify the version and try again.");
    }

    static ServiceException alreadyExists() {
        return new ServiceException("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, "
                + "set the overwrite option in the request to true.");
    }

    static ServiceException of(String code, String message) {
        return new ServiceException(code, message);
    }
}
