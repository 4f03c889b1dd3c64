/** Every error the API returns has this JSON body, with a 4xx/5xx status. */
export interface ApiErrorBody {
  error: {
    /** Stable machine-readable code: `bad_request`, `not_found`, `unauthorized`, `internal`. */
    code: string;
    message: string;
    /** The query or path parameter at fault, when there is one. */
    param?: string;
  };
}
