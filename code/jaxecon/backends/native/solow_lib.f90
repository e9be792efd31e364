! The Solow law of motion k' = a s k**alpha + (1 - delta) k, iterated n times.
! bind(C) gives the function a C name, so the Python package can call it through
! ctypes from a shared library, and the program in solow.f90 can call it directly.
module solow_lib
  use iso_c_binding, only: c_double, c_long
  implicit none
contains
  function solow(k0, s, alpha, delta, a, n) result(k) bind(C, name="solow_fortran")
    real(c_double), value, intent(in) :: k0, s, alpha, delta, a
    integer(c_long), value, intent(in) :: n
    real(c_double) :: k
    integer(c_long) :: i
    k = k0
    do i = 1, n
      k = a * s * k**alpha + (1.0_c_double - delta) * k
    end do
  end function solow
end module solow_lib
