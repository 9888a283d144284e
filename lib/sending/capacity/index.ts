export { releaseSend, reserveSend, type Reservation, type ReserveSendInput } from "./reserve-send";
