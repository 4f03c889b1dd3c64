/** `GET /api/registrations` */

export interface RegistrationDto {
  id: number;
  call_id: string;
  aor: string;
  contact: string | null;
  expires: number | null;
  user_agent: string | null;
  status: string;
  challenged: boolean;
  final_code: number | null;
  src: string;
  dst: string;
  start_ts: number;
  end_ts: number | null;
  request_count: number;
}

export interface RegistrationListResponse {
  registrations: RegistrationDto[];
  total: number;
  total_capped: boolean;
  next: string | null;
}
